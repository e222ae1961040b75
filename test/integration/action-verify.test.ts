// `verify` alone (drills, scheduled checks), driven in-process: checks the targets that carry each
// service in the checked-out state, against real local HTTP and DNS servers; strict nock for the check run.
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import {
  checkoutConfig,
  GITHUB_API,
  type InfraRepo,
  infraReposPerTest,
  keepBody,
  type RequestBodies,
  regionTargetsPerFile,
  runActionInProcess,
} from '../helpers/action-harness.js';

const TOKEN = 'ghs_verifyTestToken0123456789abcdef';

const targets = regionTargetsPerFile({ dns: true });
const infraRepo = infraReposPerTest();

function verify(r: InfraRepo, inputs: Record<string, string> = {}) {
  return runActionInProcess({
    command: 'verify',
    workspace: r.dir,
    eventName: 'schedule',
    payload: {},
    sha: r.after,
    inputs,
  });
}

describe('action verify', () => {
  it('verifies the active target over HTTP and DNS and posts gitops-failover/health', async () => {
    const r = infraRepo(checkoutConfig({ httpBase: targets.http.url, dnsResolver: targets.dns.address }));
    const bodies: RequestBodies = {};
    const scope = nock(GITHUB_API)
      .post('/repos/o/r/check-runs', keepBody(bodies, 'check'))
      .reply(201, { id: 3 });
    const run = await verify(r, { 'github-token': TOKEN, services: 'checkout' });
    scope.done();
    expect(run.exitCode).toBe(0);
    expect(run.outputs.verified).toBe('true');
    expect(run.outputs['changed-services']).toBe('');
    expect(bodies.check).toMatchObject({
      name: 'gitops-failover/health',
      head_sha: r.after,
      conclusion: 'success',
    });
    expect(bodies.check.output.summary).toContain('#### checkout on us-west-2: verified');
    expect(targets.dns.queries.some((q) => q.name === 'checkout.example.com')).toBe(true);
  });

  it('fails the job with verified=false when the active target is down (no token: summary only)', async () => {
    const r = infraRepo(checkoutConfig({ httpBase: targets.http.url }), {
      from: 'us-west-2',
      to: 'us-east-1',
    });
    const run = await verify(r);
    expect(run.exitCode).toBe(1);
    expect(run.outputs.verified).toBe('false');
    expect(run.stdout).toContain('::error::verification failed for checkout on us-east-1');
    expect(run.summary).toContain('#### checkout on us-east-1: NOT verified');
  });
});
