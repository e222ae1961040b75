// `plan` on a failover PR, driven in-process like the runner does: real terraform on a temp git repo,
// preflight checks against a real local HTTP server, strict nock for the sticky comment and check run.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkoutConfig,
  expectNewComment,
  GITHUB_API,
  type InfraRepo,
  infraReposPerTest,
  keepBody,
  type makeInfraRepo,
  type RequestBodies,
  regionTargetsPerFile,
  runActionInProcess,
  TFVARS,
  terraformMissing,
} from '../helpers/action-harness.js';
import { prom, type RunningPrometheusApi, startPrometheusApi } from '../helpers/prometheus-api.js';

const skip = terraformMissing();
if (skip) console.log(`skipping action plan tests: ${skip}`);

const TOKEN = 'ghs_planTestToken0123456789abcdef';
const MARKER = '<!-- gitops-failover:comment:plan -->';
const API_KEY = 'plan-s3cr3t-key-91c2';

const targets = regionTargetsPerFile();
const infraRepo = infraReposPerTest();

function repo(opts: Parameters<typeof makeInfraRepo>[1] = {}): InfraRepo {
  return infraRepo(checkoutConfig({ httpBase: targets.http.url }), opts);
}

function prRun(r: InfraRepo, inputs: Record<string, string> = { 'github-token': TOKEN }) {
  return runActionInProcess({
    command: 'plan',
    workspace: r.dir,
    eventName: 'pull_request',
    payload: { number: 7, pull_request: { number: 7, base: { sha: r.before }, head: { sha: r.after } } },
    sha: r.after,
    inputs,
    env: { TF_VAR_checkout_api_key: API_KEY },
  });
}

describe.skipIf(skip)('action plan on pull_request', () => {
  it('plans the flip, runs preflight, posts the sticky comment and a passing check run', async () => {
    const r = repo();
    const bodies: RequestBodies = {};
    const scope = expectNewComment(nock(GITHUB_API), { id: 70, body: keepBody(bodies, 'comment') })
      .post('/repos/o/r/check-runs', keepBody(bodies, 'check'))
      .reply(201, { id: 71 });
    const before = targets.http.requests.length;
    const run = await prRun(r);
    scope.done();

    expect(run.exitCode).toBe(0);
    expect(run.outputs['changed-services']).toBe('checkout');
    expect(run.outputs['plan-summary']).toBe('0 to update, 2 to create, 0 to delete, 0 to replace');
    expect(run.outputs.verified).toBe('');
    // preflight asked the NEW target only
    const asked = targets.http.requests.slice(before).map((q) => q.path);
    expect(asked.length).toBeGreaterThan(0);
    expect(new Set(asked)).toEqual(new Set(['/us-west-2/healthz']));

    expect(bodies.comment.body.startsWith(MARKER)).toBe(true);
    expect(bodies.comment.body).toContain('ready to merge');
    expect(bodies.comment.body).toContain('| checkout | us-east-1 | us-west-2 |');
    expect(bodies.comment.body).toContain('terraform_data.checkout_dns');
    expect(bodies.comment.body).toContain('#### Preflight');
    // the sensitive input is masked in the comment and the check run, and registered for log masking
    expect(bodies.comment.body).toContain('(sensitive)');
    expect(JSON.stringify(bodies)).not.toContain(API_KEY);
    expect(run.stdout.split('\n').filter((l) => l.includes(API_KEY))).toEqual([`::add-mask::${API_KEY}`]);
    expect(bodies.check).toMatchObject({
      name: 'gitops-failover/plan',
      head_sha: r.after,
      conclusion: 'success',
      output: { title: 'Failover plan ready' },
    });
    expect(run.summary).toContain('ready to merge');
  });

  it('edits its own sticky comment in place on the next run', async () => {
    const r = repo();
    const scope = nock(GITHUB_API)
      .get('/repos/o/r/issues/7/comments')
      .query(true)
      .reply(200, [
        { id: 5, body: `${MARKER}\nhuman copy`, user: { login: 'alice', type: 'User' } },
        { id: 6, body: `${MARKER}\nold plan`, user: { login: 'github-actions[bot]', type: 'Bot' } },
      ])
      .patch('/repos/o/r/issues/comments/6', (b) => b.body.includes('ready to merge'))
      .reply(200, { id: 6 })
      .post('/repos/o/r/check-runs')
      .reply(201, { id: 72 });
    const run = await prRun(r);
    scope.done();
    expect(run.exitCode).toBe(0);
  });

  it('fails the check run and the job when the new target fails preflight', async () => {
    const r = repo({ from: 'us-west-2', to: 'us-east-1' });
    const bodies: RequestBodies = {};
    const scope = expectNewComment(nock(GITHUB_API), { id: 70, body: keepBody(bodies, 'comment') })
      .post('/repos/o/r/check-runs', keepBody(bodies, 'check'))
      .reply(201, { id: 71 });
    const run = await prRun(r);
    scope.done();
    expect(run.exitCode).toBe(1);
    expect(bodies.check.conclusion).toBe('failure');
    expect(bodies.check.output.title).toBe('Plan failed: preflight checks failed for checkout on us-east-1');
    expect(bodies.comment.body).toContain(
      '**What failed:** preflight checks failed for checkout on us-east-1',
    );
    expect(run.stdout).toContain('::error::preflight checks failed for checkout on us-east-1');
  });

  it('judges the PR with the config of the base commit, not the one the PR edits', async () => {
    const r = repo({ flip: false });
    // The PR flips the flag AND deletes the preflight checks; the base config's checks must still run.
    const weakened = checkoutConfig({ httpBase: 'http://127.0.0.1:9' }).replace(/ {4}preflight:[\s\S]*$/, '');
    writeFileSync(join(r.dir, '.github/failover.yml'), weakened);
    writeFileSync(
      join(r.dir, 'envs/prod/failover.auto.tfvars.json'),
      '{ "checkout_active_region": "us-west-2" }\n',
    );
    r.git('commit', '-q', '-am', 'flip and drop preflight');
    const head = r.git('rev-parse', 'HEAD');
    const scope = expectNewComment(nock(GITHUB_API), {
      id: 70,
      body: (b) => b.body.includes('#### Preflight'),
    })
      .post('/repos/o/r/check-runs', (b) => b.conclusion === 'success')
      .reply(201, { id: 71 });
    const before = targets.http.requests.length;
    const run = await prRun({ ...r, after: head });
    scope.done();
    expect(run.exitCode).toBe(0);
    expect(targets.http.requests.length).toBeGreaterThan(before);
  });

  it('stops before terraform when the PR changes no flag', async () => {
    const r = repo({ flip: false });
    const run = await prRun(r, { 'github-token': TOKEN, 'iac-binary': '/nonexistent/terraform' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs['changed-services']).toBe('');
    expect(run.summary).toContain('changes no failover flag');
  });

  describe('with a prometheus preflight (replication lag on the new target)', () => {
    let api: RunningPrometheusApi;
    const LAG = 'max(pg_replication_lag_seconds{region="us-west-2"})';
    beforeAll(async () => {
      api = await startPrometheusApi();
    });
    afterAll(() => api.close());
    const config = () => `version: 1
services:
  checkout:
    targets: [us-east-1, us-west-2]
    state: { file: ${TFVARS}, key: checkout_active_region }
    preflight:
      timeout: 1s
      checks:
        - name: replication-lag
          prometheus: { url: "${api.url}", query: 'max(pg_replication_lag_seconds{region="{target}"})', expect: "< 5" }
          interval: 100ms
          failure_limit: 1
`;

    it.each([
      {
        name: 'passes when the lag is under the limit',
        result: prom.vector(prom.series({}, '1.2')),
        ok: true,
      },
      { name: 'fails when the series is missing (empty is never a pass)', result: prom.empty(), ok: false },
    ])('$name', async ({ result, ok }) => {
      api.set(LAG, result);
      const r = infraRepo(config());
      const bodies: RequestBodies = {};
      const scope = expectNewComment(nock(GITHUB_API), { id: 70 })
        .post('/repos/o/r/check-runs', keepBody(bodies, 'check'))
        .reply(201, { id: 71 });
      const run = await prRun(r);
      scope.done();
      expect(api.queries).toContain(LAG);
      expect(run.exitCode).toBe(ok ? 0 : 1);
      expect(bodies.check.conclusion).toBe(ok ? 'success' : 'failure');
      expect(bodies.check.output.summary).toContain('replication-lag');
    });
  });
});
