// `iac: none` driven like the runner does: a temp git copy of examples/k8s-infra, a stand-in GitOps
// controller that polls the repo's main branch and applies a new revision after a sync delay, a real
// local HTTP endpoint answering which region serves, strict nock for GitHub. The Action applies
// nothing, waits for the flip to take effect and reports exactly as after an apply.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parseVerifyMarker } from '../../src/core/render/verify-record.js';
import { editState } from '../../src/core/state/index.js';
import {
  checkoutMarker,
  expectDeployment,
  expectFailoverPr,
  expectNewComment,
  gitIn,
  type InfraRepo,
  keepBody,
  type RequestBodies,
  runOnPush,
} from '../helpers/action-harness.js';
import { startController } from '../helpers/gitops-controller.js';

const EXAMPLE = join(dirname(fileURLToPath(import.meta.url)), '../../examples/k8s-infra');
const STATE = 'overlays/prod/routing.yaml';
const KEY = 'data.active_region';
const TOKEN = 'ghs_noneTestToken0123456789abcdef';
/** The endpoint in the committed config; the checked-out copy gets the controller's real URL. */
const PLACEHOLDER = 'http://127.0.0.1:1/region';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The example with its verify check pointed at the controller's endpoint, and the flip committed. */
function k8sRepo(verifyTimeout: string): InfraRepo {
  const dir = mkdtempSync(join(tmpdir(), 'failover-k8s-repo-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(EXAMPLE, dir, { recursive: true });
  writeFileSync(
    join(dir, '.github/failover.yml'),
    `version: 1
services:
  checkout:
    targets: [us-east-1, us-west-2]
    state: { file: ${STATE}, key: ${KEY} }
    verify:
      timeout: ${verifyTimeout}
      checks:
        - name: served-by-new-region
          http: { url: "${PLACEHOLDER}", json: { path: region, equals: "{target}" } }
          interval: 100ms
          successes: 2
`,
  );
  const git = gitIn(dir);
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-q', '-m', 'k8s infra');
  const before = git('rev-parse', 'HEAD');
  const path = join(dir, STATE);
  writeFileSync(path, editState(STATE, readFileSync(path, 'utf8'), KEY, 'us-west-2').newText);
  git('commit', '-q', '-am', 'Failover checkout');
  return { dir, before, after: git('rev-parse', 'HEAD'), git, cleanup: () => undefined };
}

/** The repo and its controller; the checked-out config then points at the controller's endpoint. */
async function k8sFailover(o: {
  verifyTimeout: string;
  syncDelayMs: number;
  syncAfterProbes?: number;
  stalled?: boolean;
}) {
  const r = k8sRepo(o.verifyTimeout);
  const controller = await startController({
    repoDir: r.dir,
    file: STATE,
    key: KEY,
    initial: 'us-east-1',
    syncDelayMs: o.syncDelayMs,
    syncAfterProbes: o.syncAfterProbes ?? 0,
    ...(o.stalled ? { stalled: true } : {}),
  });
  cleanups.push(() => controller.stop());
  const config = join(r.dir, '.github/failover.yml');
  writeFileSync(config, readFileSync(config, 'utf8').replace(PLACEHOLDER, `${controller.http.url}/region`));
  return { r, controller };
}

describe('action apply with iac: none (a GitOps controller applies)', () => {
  it('applies nothing, waits for the controller to sync, verifies and reports everywhere with the RTO', async () => {
    const { r, controller } = await k8sFailover({
      verifyTimeout: '60s',
      syncDelayMs: 500,
      syncAfterProbes: 3,
    });
    const bodies: RequestBodies = {};
    const scope = expectFailoverPr(r.after, TOKEN, checkoutMarker(95_000))
      .post('/repos/o/r/check-runs', keepBody(bodies, 'check'))
      .reply(201, { id: 11 });
    expectNewComment(scope, { id: 21, body: keepBody(bodies, 'comment') });
    expectDeployment(scope, {
      id: 31,
      body: keepBody(bodies, 'deployment'),
      status: keepBody(bodies, 'status'),
    });

    const run = await runOnPush(r, {
      inputs: {
        iac: 'none',
        'working-directory': '.',
        'github-token': TOKEN,
        'iac-binary': '/nonexistent/terraform',
      },
    });
    scope.done();

    expect(run.exitCode).toBe(0);
    expect(run.outputs['changed-services']).toBe('checkout');
    expect(run.outputs['plan-summary']).toBe('');
    expect(run.outputs.verified).toBe('true');
    const rto = Number(run.outputs['rto-seconds']);
    expect(rto).toBeGreaterThanOrEqual(95);
    // it really waited: the endpoint answered the old region before the controller synced
    expect(controller.served.slice(0, 3)).toEqual(['us-east-1', 'us-east-1', 'us-east-1']);
    expect(controller.served.slice(-2)).toEqual(['us-west-2', 'us-west-2']);

    expect(bodies.check).toMatchObject({
      name: 'gitops-failover/verify',
      head_sha: r.after,
      conclusion: 'success',
      output: { title: 'Failover applied and verified' },
    });
    const summary: string = bodies.check.output.summary;
    expect(summary).toContain('### gitops-failover apply: applied and verified');
    expect(summary).toContain('Applied by the GitOps controller (`iac: none`)');
    expect(summary).toContain(`**Recovery time:** ${rto} s`);
    expect(summary).toContain('#### checkout on us-west-2: verified');
    expect(parseVerifyMarker(summary)).toMatchObject({
      changes: [{ service: 'checkout', from: 'us-east-1', to: 'us-west-2' }],
      pr: 7,
      applied: true,
      verified: true,
      rtoSeconds: rto,
    });
    expect(bodies.comment.body).toContain('<!-- gitops-failover:comment:apply -->');
    expect(bodies.deployment).toMatchObject({ ref: r.after, environment: 'failover/checkout' });
    expect(bodies.status).toMatchObject({ state: 'success' });
    expect(run.summary).toContain('applied and verified');
    // no IaC step ran (the iac-binary points nowhere)
    expect(run.stdout).not.toMatch(/::group::(terraform|tofu|cdktn)/);
    expect(existsSync(join(r.dir, '.terraform'))).toBe(false);
  }, 120_000);

  it('fails, reports "applied, NOT verified" and a failed deployment when the controller never syncs', async () => {
    const { r, controller } = await k8sFailover({ verifyTimeout: '2s', syncDelayMs: 0, stalled: true });
    const bodies: RequestBodies = {};
    const scope = expectFailoverPr(r.after, TOKEN, checkoutMarker(30_000))
      .post('/repos/o/r/check-runs', keepBody(bodies, 'check'))
      .reply(201, { id: 11 });
    expectNewComment(scope, { id: 21 });
    expectDeployment(scope, { id: 31, status: keepBody(bodies, 'status') });

    const run = await runOnPush(r, {
      inputs: { iac: 'none', 'working-directory': '.', 'github-token': TOKEN },
    });
    scope.done();

    expect(run.exitCode).toBe(1);
    expect(run.outputs.verified).toBe('false');
    expect(run.outputs['rto-seconds']).toBe('');
    expect(new Set(controller.served)).toEqual(new Set(['us-east-1']));
    expect(bodies.check.conclusion).toBe('failure');
    expect(bodies.check.output.title).toBe('Failover failed: verification failed for checkout on us-west-2');
    expect(parseVerifyMarker(bodies.check.output.summary)).toMatchObject({ applied: true, verified: false });
    expect(bodies.status.state).toBe('failure');
    expect(run.summary).toContain('applied, NOT verified');
    expect(run.stdout).toContain('::error::verification failed for checkout on us-west-2');
  }, 120_000);
});

describe.skipIf(!existsSync('/usr/bin/kubectl'))('examples/k8s-infra rendered with real kustomize', () => {
  it('moves the Service externalName to the region the bot writes, and nothing else', () => {
    const dir = mkdtempSync(join(tmpdir(), 'failover-k8s-render-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    cpSync(EXAMPLE, dir, { recursive: true });
    const render = () =>
      execFileSync('/usr/bin/kubectl', ['kustomize', join(dir, 'overlays/prod')], { encoding: 'utf8' });
    const before = render();
    expect(before).toContain('externalName: us-east-1.checkout.example.com');
    const path = join(dir, STATE);
    writeFileSync(path, editState(STATE, readFileSync(path, 'utf8'), KEY, 'us-west-2').newText);
    const after = render();
    const changed = after.split('\n').filter((line, i) => line !== before.split('\n')[i]);
    expect(changed).toEqual(['  active_region: us-west-2', '  externalName: us-west-2.checkout.example.com']);
  });
});
