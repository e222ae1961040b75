// `apply` on push, driven in-process like the runner does, with the real terraform binary on a temp git
// repo, real local HTTP and DNS servers for the checks, and strict nock for every GitHub call.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseVerifyMarker } from '../../src/core/render/verify-record.js';
import type { FailoverMarker } from '../../src/core/types.js';
import {
  checkoutConfig,
  checkoutMarker,
  expectDeployment,
  expectFailoverPr,
  expectNewComment,
  expectReportsWithoutPr,
  type InfraRepo,
  infraReposPerTest,
  keepBody,
  type RequestBodies,
  regionTargetsPerFile,
  runOnPush,
  terraformMissing,
} from '../helpers/action-harness.js';

const skip = terraformMissing();
if (skip) console.log(`skipping action apply tests: ${skip}`);

const TOKEN = 'ghs_applyTestToken0123456789abcdef';
const API_KEY = 's3cr3t-origin-key-7f3a';

const targets = regionTargetsPerFile({ dns: true });
const infraRepo = infraReposPerTest();

function repo(config = checkoutConfig({ httpBase: targets.http.url, dnsResolver: targets.dns.address })) {
  return infraRepo(config, { applyBefore: true });
}

function pushRun(r: InfraRepo) {
  return runOnPush(r, { inputs: { 'github-token': TOKEN }, env: { TF_VAR_checkout_api_key: API_KEY } });
}

const marker: FailoverMarker = checkoutMarker(95_000);
const mockPr = (sha: string) => expectFailoverPr(sha, TOKEN, marker);

describe.skipIf(skip)('action apply on push', () => {
  it('applies the flip, verifies us-west-2 over HTTP and DNS, and reports everywhere with the RTO', async () => {
    const r = repo();
    const bodies: RequestBodies = {};
    const scope = mockPr(r.after)
      .post('/repos/o/r/check-runs', keepBody(bodies, 'check'))
      .reply(201, { id: 11, html_url: 'https://github.com/o/r/runs/11' });
    expectNewComment(scope, { id: 21, body: keepBody(bodies, 'comment') });
    expectDeployment(scope, {
      id: 31,
      body: keepBody(bodies, 'deployment'),
      status: keepBody(bodies, 'status'),
    });

    const run = await pushRun(r);
    scope.done();

    expect(run.exitCode).toBe(0);
    // terraform's own output lands in its step's log group, line by line (streamed, not summarised).
    const applyGroup = /::group::terraform apply\n([\s\S]*?)::endgroup::/.exec(run.stdout)?.[1] ?? '';
    expect(applyGroup).toMatch(/^Apply complete! Resources: \d+ added, 2 changed, 0 destroyed\.$/m);
    const planGroup = /::group::terraform plan\n([\s\S]*?)::endgroup::/.exec(run.stdout)?.[1] ?? '';
    expect(planGroup).toMatch(/^Plan: \d+ to add, 2 to change, 0 to destroy\.$/m);
    expect(run.outputs['changed-services']).toBe('checkout');
    expect(run.outputs['plan-summary']).toBe('2 to update, 0 to create, 0 to delete, 0 to replace');
    expect(run.outputs.verified).toBe('true');
    const rto = Number(run.outputs['rto-seconds']);
    expect(rto).toBeGreaterThanOrEqual(95);

    expect(bodies.check).toMatchObject({
      name: 'gitops-failover/verify',
      head_sha: r.after,
      status: 'completed',
      conclusion: 'success',
      details_url: 'https://github.com/o/r/actions/runs/1234',
    });
    expect(bodies.check.output.summary).toContain(`**Recovery time:** ${rto} s`);
    expect(bodies.check.output.summary).toContain('#### checkout on us-west-2: verified');
    // the record the bot reads back from the check run, first so that clipping can never cut it
    expect(bodies.check.output.summary.startsWith('<!-- gitops-failover:verify {')).toBe(true);
    expect(parseVerifyMarker(bodies.check.output.summary)).toMatchObject({
      services: ['checkout'],
      changes: [{ service: 'checkout', from: 'us-east-1', to: 'us-west-2' }],
      pr: 7,
      sha: r.after,
      applied: true,
      verified: true,
      rtoSeconds: rto,
      kind: 'auto',
    });
    expect(bodies.comment.body).toContain('<!-- gitops-failover:comment:apply -->');
    expect(bodies.comment.body).toContain('applied and verified');
    expect(bodies.deployment).toMatchObject({
      ref: r.after,
      environment: 'failover/checkout',
      auto_merge: false,
      required_contexts: [],
    });
    expect(bodies.status).toMatchObject({
      state: 'success',
      log_url: 'https://github.com/o/r/actions/runs/1234',
      // the service on its new target: the first HTTP verify check's URL for us-west-2
      environment_url: `${targets.http.url}/us-west-2/healthz`,
    });
    expect(run.summary).toContain('applied and verified');
    // every step in its own log group, with its duration
    const lines = run.stdout.split('\n');
    for (const step of [
      'load config',
      'find changed services',
      'terraform init',
      'terraform apply',
      'verify',
    ]) {
      const at = lines.indexOf(`::group::${step}`);
      expect(at, step).toBeGreaterThanOrEqual(0);
      const end = lines.indexOf('::endgroup::', at);
      expect(
        lines.slice(at, end).some((l) => new RegExp(`^${step}: \\d+ ms$`).test(l)),
        step,
      ).toBe(true);
    }
    // the DNS check really asked the local responder
    expect(targets.dns.queries.some((q) => q.name === 'checkout.example.com' && q.type === 'CNAME')).toBe(
      true,
    );
    // the terraform state really moved
    const state = readFileSync(join(r.dir, 'envs/prod/terraform.tfstate'), 'utf8');
    expect(state).toContain('us-west-2.checkout.example.com');
  });

  it('keeps the token and the sensitive plan value out of logs (except add-mask), comment and check run', async () => {
    const r = repo();
    const noApiKey = (b: unknown) => !JSON.stringify(b).includes(API_KEY);
    const scope = mockPr(r.after).post('/repos/o/r/check-runs', noApiKey).reply(201, { id: 11 });
    expectNewComment(scope, { id: 21, body: noApiKey });
    expectDeployment(scope, { id: 31 });
    const run = await pushRun(r);
    scope.done();
    expect(run.exitCode).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines).toContain(`::add-mask::${TOKEN}`);
    expect(lines).toContain(`::add-mask::${API_KEY}`);
    for (const secret of [TOKEN, API_KEY]) {
      const leaks = lines.filter((l) => l.includes(secret) && !l.startsWith('::add-mask::'));
      expect(leaks).toEqual([]);
      expect(run.summary).not.toContain(secret);
    }
  });

  it('fails the job, says verified=false and reports failure when the new target answers 503', async () => {
    // Flip to us-east-1, which answers 503.
    const r = infraRepo(checkoutConfig({ httpBase: targets.http.url }), {
      from: 'us-west-2',
      to: 'us-east-1',
    });
    const bodies: RequestBodies = {};
    const scope = expectReportsWithoutPr(r.after, bodies);
    const run = await pushRun(r);
    scope.done();
    expect(run.exitCode).toBe(1);
    expect(run.outputs.verified).toBe('false');
    expect(run.outputs['rto-seconds']).toBe('');
    expect(bodies.check.conclusion).toBe('failure');
    expect(bodies.check.output.title).toContain('verification failed for checkout on us-east-1');
    expect(bodies.status.state).toBe('failure');
    expect(run.stdout).toContain('::error::verification failed for checkout on us-east-1');
    expect(run.summary).toContain('applied, NOT verified');
  });

  it('reports a GitHub 500 on the check run, still posts the rest, and fails the job', async () => {
    const r = repo(checkoutConfig({ httpBase: targets.http.url }));
    const scope = mockPr(r.after)
      .post('/repos/o/r/check-runs')
      .times(5) // the port retries 5xx four times before giving up
      .reply(500, { message: 'Server Error' });
    expectNewComment(scope, { id: 21 });
    expectDeployment(scope, { id: 31 });
    const run = await pushRun(r);
    scope.done();
    expect(run.exitCode).toBe(1);
    expect(run.outputs.verified).toBe('true');
    expect(run.stdout).toMatch(/::error::reporting to GitHub failed: check run: HTTP 500/);
    expect(run.summary).toContain('**Not reported:** reporting to GitHub failed: check run: HTTP 500');
  });

  it('does nothing (no terraform, no GitHub call) for a push that changes no flag', async () => {
    const r = infraRepo(checkoutConfig({ httpBase: targets.http.url }), { flip: false });
    const run = await runOnPush(r, {
      inputs: { 'github-token': TOKEN, 'iac-binary': '/nonexistent/terraform' },
    });
    expect(run.exitCode).toBe(0);
    expect(run.outputs['changed-services']).toBe('');
    expect(run.outputs.verified).toBe('');
    expect(run.summary).toContain('changes no failover flag');
  });
});
