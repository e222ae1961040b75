// `verify` alone (drills, scheduled checks), driven in-process: checks the targets that carry each
// service in the checked-out state, against real local HTTP and DNS servers; strict nock for the check run.
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  checkoutConfig,
  type InfraRepo,
  makeInfraRepo,
  runActionInProcess,
} from '../helpers/action-harness.js';
import { type RunningDnsServer, startDnsServer } from '../helpers/dns-server.js';
import { type RunningHttpTarget, startHttpTarget } from '../helpers/probe-targets.js';

const API = 'https://api.github.com';
const TOKEN = 'ghs_verifyTestToken0123456789abcdef';

let http: RunningHttpTarget;
let dns: RunningDnsServer;
const repos: InfraRepo[] = [];

beforeAll(async () => {
  http = await startHttpTarget({
    '/us-west-2/healthz': { status: 200 },
    '/us-east-1/healthz': { status: 503 },
  });
  dns = await startDnsServer({ 'checkout.example.com': { CNAME: 'us-west-2.checkout.example.com' } });
});
afterAll(async () => {
  await http.close();
  await dns.close();
});
afterEach(() => {
  for (const r of repos.splice(0)) r.cleanup();
});

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
    const r = makeInfraRepo(checkoutConfig({ httpBase: http.url, dnsResolver: dns.address }));
    repos.push(r);
    // biome-ignore lint/suspicious/noExplicitAny: captured request body
    let check: any;
    const scope = nock(API)
      .post('/repos/o/r/check-runs', (b) => {
        check = b;
        return true;
      })
      .reply(201, { id: 3 });
    const run = await verify(r, { 'github-token': TOKEN, services: 'checkout' });
    scope.done();
    expect(run.exitCode).toBe(0);
    expect(run.outputs.verified).toBe('true');
    expect(run.outputs['changed-services']).toBe('');
    expect(check).toMatchObject({ name: 'gitops-failover/health', head_sha: r.after, conclusion: 'success' });
    expect(check.output.summary).toContain('#### checkout on us-west-2: verified');
    expect(dns.queries.some((q) => q.name === 'checkout.example.com')).toBe(true);
  });

  it('fails the job with verified=false when the active target is down (no token: summary only)', async () => {
    const r = makeInfraRepo(checkoutConfig({ httpBase: http.url }), { from: 'us-west-2', to: 'us-east-1' });
    repos.push(r);
    const run = await verify(r);
    expect(run.exitCode).toBe(1);
    expect(run.outputs.verified).toBe('false');
    expect(run.stdout).toContain('::error::verification failed for checkout on us-east-1');
    expect(run.summary).toContain('#### checkout on us-east-1: NOT verified');
  });
});
