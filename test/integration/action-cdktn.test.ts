// `iac: cdktn` driven like the runner does: a temp git copy of examples/cdktn-infra with its own
// node_modules (gitops-failover installed from its package "exports", the repo's own cdktn-cli), the real
// `cdktn synth` and the real terraform binary on the offline sandbox stack, real local HTTP checks, and
// strict nock for GitHub. The reports are the Terraform mode's, with a `cdktn synth` step first.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseVerifyMarker } from '../../src/core/render/verify-record.js';
import {
  checkoutMarker,
  expectDeployment,
  expectFailoverPr,
  expectNewComment,
  GITHUB_API,
  keepBody,
  type RequestBodies,
  regionTargetsPerFile,
  runActionInProcess,
  terraformMissing,
} from '../helpers/action-harness.js';
import {
  CDKTN_APPLY_STEPS,
  type CdktnRepo,
  installGitopsFailover,
  makeCdktnRepo,
  synthEnv,
} from '../helpers/cdktn-repo.js';

const skip = terraformMissing();
if (skip) console.log(`skipping action cdktn tests: ${skip}`);

const TOKEN = 'ghs_cdktnTestToken0123456789abcdef';
// Real cdktn synth and terraform on a shared 2-core machine.
const SLOW = 600_000;

const targets = regionTargetsPerFile();
let packages: string;
beforeAll(async () => {
  packages = mkdtempSync(join(tmpdir(), 'failover-cdktn-pkg-'));
  await installGitopsFailover(packages);
}, SLOW);
afterAll(() => {
  if (packages) rmSync(packages, { recursive: true, force: true });
});
const repos: CdktnRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.cleanup();
});

/** The example's services, their checks pointed at the local regions (us-west-2 healthy, us-east-1 not). */
function config(httpBase: string): string {
  const checks = (path: string) => `
      checks:
        - name: health
          http: { url: "${httpBase}/{target}/${path}", status: 200 }
          interval: 100ms
          successes: 2`;
  return `version: 1
services:
  checkout:
    targets: [us-east-1, us-west-2]
    state: { file: state/failover.json, key: checkout_active_region }
    verify:
      timeout: 20s${checks('healthz')}
    preflight:
      timeout: 20s${checks('healthz')}
  edge-gateway:
    targets: [us-east-1, us-west-2, eu-west-1]
    mode: weighted
    weights: { us-east-1: 50, us-west-2: 30, eu-west-1: 20 }
    state: { file: state/failover.json, key: edge_gateway_weights }
    verify:
      timeout: 20s${checks('healthz')}
`;
}

/** The example repo with checkout on us-east-1 committed, then the bot's flip to us-west-2. */
function flippedRepo(): { r: CdktnRepo; before: string; after: string } {
  const r = makeCdktnRepo(packages, { git: true, config: config(targets.http.url) });
  repos.push(r);
  const before = r.git('rev-parse', 'HEAD');
  const after = r.flip('checkout_active_region', 'us-west-2');
  return { r, before, after };
}

const inputs = { iac: 'cdktn', stack: 'sandbox', 'working-directory': '.', 'github-token': TOKEN };
// Node 24 first on PATH: cdktn runs the app as `node main.ts`.
const env = { PATH: synthEnv().PATH as string, CHECKPOINT_DISABLE: '1' };

describe.skipIf(skip)('the Action with iac: cdktn', () => {
  it(
    'plan: synthesises, plans the sandbox stack, runs preflight and posts the sticky comment and check run',
    async () => {
      const { r, before, after } = flippedRepo();
      const bodies: RequestBodies = {};
      const scope = expectNewComment(nock(GITHUB_API), { id: 70, body: keepBody(bodies, 'comment') })
        .post('/repos/o/r/check-runs', keepBody(bodies, 'check'))
        .reply(201, { id: 71 });
      const run = await runActionInProcess({
        command: 'plan',
        workspace: r.dir,
        eventName: 'pull_request',
        payload: { number: 7, pull_request: { number: 7, base: { sha: before }, head: { sha: after } } },
        sha: after,
        inputs,
        env,
      });
      scope.done();
      expect(run.exitCode).toBe(0);
      expect(run.outputs['changed-services']).toBe('checkout');
      // nothing applied yet: both sandbox routes are created
      expect(run.outputs['plan-summary']).toBe('0 to update, 2 to create, 0 to delete, 0 to replace');
      expect(bodies.comment.body).toContain('### gitops-failover plan: ready to merge');
      expect(bodies.comment.body).toContain('| checkout | us-east-1 | us-west-2 |');
      expect(bodies.comment.body).toContain('terraform_data.checkout-route');
      expect(bodies.comment.body).toMatch(/\| cdktn synth \| ok \|/);
      expect(bodies.comment.body).toMatch(/\| terraform plan \| ok \|/);
      expect(bodies.check).toMatchObject({
        name: 'gitops-failover/plan',
        head_sha: after,
        conclusion: 'success',
      });
    },
    SLOW,
  );

  it(
    'apply: synthesises, applies the sandbox stack, verifies us-west-2 and reports everywhere with the RTO',
    async () => {
      const { r, after } = flippedRepo();
      const bodies: RequestBodies = {};
      const scope = expectFailoverPr(after, TOKEN, checkoutMarker(95_000))
        .post('/repos/o/r/check-runs', keepBody(bodies, 'check'))
        .reply(201, { id: 11 });
      expectNewComment(scope, { id: 21, body: keepBody(bodies, 'comment') });
      expectDeployment(scope, { id: 31, status: keepBody(bodies, 'status') });
      const run = await runActionInProcess({
        command: 'apply',
        workspace: r.dir,
        eventName: 'push',
        payload: { ref: 'refs/heads/main', before: r.git('rev-parse', 'HEAD~1'), after },
        sha: after,
        inputs,
        env,
      });
      scope.done();

      expect(run.exitCode).toBe(0);
      expect(run.outputs.verified).toBe('true');
      const rto = Number(run.outputs['rto-seconds']);
      expect(rto).toBeGreaterThanOrEqual(95);
      const summary: string = bodies.check.output.summary;
      expect(bodies.check).toMatchObject({ name: 'gitops-failover/verify', conclusion: 'success' });
      expect(summary).toContain('### gitops-failover apply: applied and verified');
      expect(summary).toContain('Terraform: 0 to update, 2 to create, 0 to delete, 0 to replace.');
      expect(summary).toContain(`**Recovery time:** ${rto} s`);
      expect(parseVerifyMarker(summary)).toMatchObject({
        applied: true,
        verified: true,
        pr: 7,
        rtoSeconds: rto,
      });
      expect(bodies.comment.body).toContain('applied and verified');
      expect(bodies.status.state).toBe('success');
      // the steps, each in its own log group, synth first
      const groups = run.stdout
        .split('\n')
        .filter((l) => l.startsWith('::group::'))
        .map((l) => l.slice(9));
      expect(groups).toEqual(CDKTN_APPLY_STEPS);
      // the sandbox really routed to the new region
      const stack = join(r.dir, 'cdktf.out', 'stacks', 'sandbox');
      expect(readFileSync(join(stack, 'routes', 'checkout'), 'utf8')).toBe('us-west-2\n');
    },
    SLOW,
  );

  it(
    "fails before any Terraform step with the app's own error when the flag names an unknown target",
    async () => {
      const r = makeCdktnRepo(packages, { git: true, config: config(targets.http.url) });
      repos.push(r);
      const before = r.git('rev-parse', 'HEAD');
      // A hand-made commit the bot would never make: the flag names a region that is not a target.
      const after = r.flip('checkout_active_region', 'eu-central-1');
      const bodies: RequestBodies = {};
      const scope = nock(GITHUB_API)
        .get(`/repos/o/r/commits/${after}/pulls`)
        .reply(200, [])
        .post('/repos/o/r/check-runs', keepBody(bodies, 'check'))
        .reply(201, { id: 12 });
      expectDeployment(scope, { id: 32, status: keepBody(bodies, 'status') });
      const run = await runActionInProcess({
        command: 'apply',
        workspace: r.dir,
        eventName: 'push',
        payload: { ref: 'refs/heads/main', before, after },
        sha: after,
        inputs,
        env,
      });
      scope.done();
      expect(run.exitCode).toBe(1);
      expect(run.outputs.verified).toBe('false');
      const title: string = bodies.check.output.title;
      expect(title).toMatch(
        /^Failover failed: cdktn synth failed with exit code 1: FailoverSynthError: state\/failover\.json: key "checkout_active_region" holds "eu-central-1"/,
      );
      expect(bodies.check.output.summary).toContain('**Not run:** the flip was not applied');
      expect(bodies.status.state).toBe('failure');
      expect(run.stdout).not.toContain('::group::terraform init');
    },
    SLOW,
  );
});
