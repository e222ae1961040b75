// Drives the Action the way the GitHub runner does: INPUT_* and GITHUB_* environment, an event payload
// file, GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files, then a fresh import of src/action/main.ts and its run(). Also makes
// small infra repos (real git, two commits) from test/fixtures/action-repo, checkout's regions as real local
// servers, and the strict nock answers the Action's GitHub reports expect.
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as core from '@actions/core';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, vi } from 'vitest';
import { secretsFromEnvironment } from '../../src/core/redact.js';
import { renderMarker } from '../../src/core/render/index.js';
import type { FailoverMarker } from '../../src/core/types.js';
import { inputEnvName, parseOutputFile } from '../../src/sandbox/runner.js';
import { type RunningDnsServer, startDnsServer } from './dns-server.js';
import { captureOutgoing, knownSecret } from './leak-guard.js';
import { type RunningHttpTarget, startHttpTarget } from './probe-targets.js';

const here = dirname(fileURLToPath(import.meta.url));

export { inputEnvName, parseOutputFile };

export const ACTION_REPO_FIXTURE = join(here, '..', 'fixtures', 'action-repo');
export const TFVARS = 'envs/prod/failover.auto.tfvars.json';
export const TERRAFORM = '/usr/local/bin/terraform';

/** Why a terraform-backed test cannot run here, or undefined when it can. */
export function terraformMissing(): string | undefined {
  return existsSync(TERRAFORM) ? undefined : `${TERRAFORM} not installed`;
}

export interface InfraRepo {
  dir: string;
  /** Commit with checkout on `from` (default us-east-1). */
  before: string;
  /** Commit that flips checkout to `to` (default us-west-2; equal to `before` with flip: false). */
  after: string;
  git(...args: string[]): string;
  cleanup(): void;
}

/** A temp git repo: the fixture plus `.github/failover.yml`, committed; then (by default) the flip. */
export function makeInfraRepo(
  configYaml: string,
  opts: { flip?: boolean; from?: string; to?: string; tfvarsAfter?: string; applyBefore?: boolean } = {},
): InfraRepo {
  const dir = mkdtempSync(join(tmpdir(), 'failover-action-repo-'));
  cpSync(ACTION_REPO_FIXTURE, dir, { recursive: true });
  mkdirSync(join(dir, '.github'), { recursive: true });
  writeFileSync(join(dir, '.github', 'failover.yml'), configYaml);
  const tfvars = (region: string) => `${JSON.stringify({ checkout_active_region: region }, null, 2)}\n`;
  if (opts.from) writeFileSync(join(dir, TFVARS), tfvars(opts.from));
  const git = gitIn(dir);
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-q', '-m', 'checkout before the flip');
  const before = git('rev-parse', 'HEAD');
  // What production looks like: the "before" state is already live (state stays untracked, as with a backend).
  if (opts.applyBefore) {
    const tf = (...args: string[]) =>
      execFileSync(TERRAFORM, args, {
        cwd: join(dir, 'envs/prod'),
        env: { ...process.env, TF_IN_AUTOMATION: '1' },
      });
    tf('init', '-input=false', '-no-color');
    tf('apply', '-input=false', '-no-color', '-auto-approve');
  }
  let after = before;
  if (opts.flip !== false) {
    writeFileSync(join(dir, TFVARS), opts.tfvarsAfter ?? tfvars(opts.to ?? 'us-west-2'));
    git('commit', '-q', '-am', 'Failover checkout');
    after = git('rev-parse', 'HEAD');
  }
  return { dir, before, after, git, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs git in `dir` as a test committer; returns trimmed stdout. */
export function gitIn(dir: string): (...args: string[]) => string {
  return (...args) =>
    execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], {
      cwd: dir,
      encoding: 'utf8',
    }).trim();
}

/** makeInfraRepo for one test file: every repo it makes is deleted after the test that made it. */
export function infraReposPerTest(): typeof makeInfraRepo {
  const made: InfraRepo[] = [];
  afterEach(() => {
    for (const r of made.splice(0)) r.cleanup();
  });
  return (configYaml, opts) => {
    const r = makeInfraRepo(configYaml, opts);
    made.push(r);
    return r;
  };
}

export interface RegionTargets {
  http: RunningHttpTarget;
  dns: RunningDnsServer;
}

/**
 * Checkout's regions as real local servers, up for one test file: HTTP `/us-west-2/healthz` answers 200
 * and `/us-east-1/healthz` 503; with `dns`, checkout.example.com is a CNAME to us-west-2 as well.
 * The fields are set once the file's beforeAll has run.
 */
export function regionTargetsPerFile(o: { dns: true }): RegionTargets;
export function regionTargetsPerFile(o?: { dns?: false }): Pick<RegionTargets, 'http'>;
export function regionTargetsPerFile(o: { dns?: boolean } = {}): Partial<RegionTargets> {
  const targets: Partial<RegionTargets> = {};
  beforeAll(async () => {
    targets.http = await startHttpTarget({
      '/us-west-2/healthz': { status: 200, body: 'ok' },
      '/us-east-1/healthz': { status: 503, body: 'down' },
    });
    if (o.dns) {
      targets.dns = await startDnsServer({
        'checkout.example.com': { CNAME: 'us-west-2.checkout.example.com' },
      });
    }
  });
  afterAll(async () => {
    await targets.http?.close();
    await targets.dns?.close();
  });
  return targets;
}

export interface ActionRun {
  // biome-ignore lint/suspicious/noExplicitAny: the ActionResult shape is asserted by the tests
  result: any;
  outputs: Record<string, string>;
  summary: string;
  /** Everything written to stdout (workflow commands and logs). */
  stdout: string;
  exitCode: number;
}

export interface RunOptions {
  command: string;
  workspace: string;
  eventName: 'push' | 'pull_request' | 'workflow_dispatch' | 'schedule';
  payload: unknown;
  sha: string;
  inputs?: Record<string, string>;
  env?: Record<string, string>;
}

/** GitHub's rule: `INPUT_` + the name with spaces as `_`, upper-cased (dashes stay). */

/** The env a runner gives the Action. GITHUB_OUTPUT and GITHUB_STEP_SUMMARY are files in `scratch`. */
export function actionEnv(o: RunOptions, scratch: string): Record<string, string> {
  const eventPath = join(scratch, 'event.json');
  writeFileSync(eventPath, JSON.stringify(o.payload));
  writeFileSync(join(scratch, 'output'), '');
  writeFileSync(join(scratch, 'summary'), '');
  const env: Record<string, string> = {
    GITHUB_WORKSPACE: o.workspace,
    GITHUB_REPOSITORY: 'o/r',
    GITHUB_EVENT_NAME: o.eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_SHA: o.sha,
    GITHUB_OUTPUT: join(scratch, 'output'),
    GITHUB_STEP_SUMMARY: join(scratch, 'summary'),
    GITHUB_API_URL: 'https://api.github.com',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '1234',
    [inputEnvName('command')]: o.command,
    [inputEnvName('config')]: '.github/failover.yml',
    [inputEnvName('working-directory')]: 'envs/prod',
    [inputEnvName('iac')]: 'terraform',
    ...Object.fromEntries(Object.entries(o.inputs ?? {}).map(([k, v]) => [inputEnvName(k), v])),
    ...o.env,
  };
  return env;
}

/**
 * The secret guard's view of a run: the token and every secret-looking variable the job had are
 * registered, and the summary, outputs and log are captured (minus `::add-mask::`, which is how a
 * secret is handed to the runner's masker and the one place it must appear).
 */
function guardActionRun(env: Record<string, string>, run: Omit<ActionRun, 'result'>): void {
  knownSecret(...secretsFromEnvironment(env));
  captureOutgoing('summary', run.summary);
  captureOutgoing('outputs', JSON.stringify(run.outputs));
  const log = run.stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
  captureOutgoing('action-log', log);
}

/** Runs src/action/main.ts in this process with a runner's env; restores env, stdout and exit code. */
export async function runActionInProcess(o: RunOptions): Promise<ActionRun> {
  const scratch = mkdtempSync(join(tmpdir(), 'failover-action-run-'));
  const env = actionEnv(o, scratch);
  const saved = new Map<string, string | undefined>();
  for (const key of Object.keys(process.env)) {
    if (key.startsWith('INPUT_') || key.startsWith('GITHUB_')) {
      saved.set(key, process.env[key]);
      delete process.env[key];
    }
  }
  for (const [key, value] of Object.entries(env)) {
    if (!saved.has(key)) saved.set(key, process.env[key]);
    process.env[key] = value;
  }
  const chunks: string[] = [];
  const realWrite = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }) as typeof process.stdout.write;
  const exitBefore = process.exitCode;
  let exitCode = 0;
  try {
    vi.resetModules();
    // @actions/core is loaded once per process (not reset with the modules above) and its job summary
    // remembers the first GITHUB_STEP_SUMMARY it saw; every run here has its own file.
    (core.summary as unknown as { _filePath?: string })._filePath = undefined;
    const mod = await import('../../src/action/main.js');
    const result = await mod.run();
    exitCode = Number(process.exitCode ?? 0);
    const run = {
      result,
      outputs: parseOutputFile(readFileSync(env.GITHUB_OUTPUT as string, 'utf8')),
      summary: readFileSync(env.GITHUB_STEP_SUMMARY as string, 'utf8'),
      stdout: chunks.join(''),
      exitCode,
    };
    guardActionRun(env, run);
    return run;
  } finally {
    process.stdout.write = realWrite;
    process.exitCode = exitBefore;
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    rmSync(scratch, { recursive: true, force: true });
    if (process.env.ACTION_TEST_LOG) realWrite(chunks.join(''));
  }
}

/** `command` (default apply) on a push of `r`'s flip to main, as the runner starts it. */
export function runOnPush(
  r: InfraRepo,
  o: { command?: string; inputs?: Record<string, string>; env?: Record<string, string> } = {},
): Promise<ActionRun> {
  return runActionInProcess({
    command: o.command ?? 'apply',
    workspace: r.dir,
    eventName: 'push',
    payload: { ref: 'refs/heads/main', before: r.before, after: r.after },
    sha: r.after,
    ...(o.inputs ? { inputs: o.inputs } : {}),
    ...(o.env ? { env: o.env } : {}),
  });
}

export const GITHUB_API = 'https://api.github.com';

// biome-ignore lint/suspicious/noExplicitAny: request bodies are asserted field by field
export type RequestBodies = Record<string, any>;
// biome-ignore lint/suspicious/noExplicitAny: nock hands body matchers the parsed JSON
type BodyMatch = (body: any) => boolean;

/** A nock body matcher that keeps each request body in `bodies[key]` and accepts it. */
export function keepBody(bodies: RequestBodies, key: string): BodyMatch {
  return (body) => {
    bodies[key] = body;
    return true;
  };
}

/** The sticky comment on PR 7 when none of ours exists yet: one page of comments read, one posted. */
export function expectNewComment(scope: nock.Scope, o: { id: number; body?: BodyMatch }): nock.Scope {
  return scope
    .get('/repos/o/r/issues/7/comments')
    .query({ per_page: '100', page: '1' })
    .reply(200, [])
    .post('/repos/o/r/issues/7/comments', o.body ?? (() => true))
    .reply(201, { id: o.id });
}

/** One deployment (`id`) and its one status. */
export function expectDeployment(
  scope: nock.Scope,
  o: { id: number; body?: BodyMatch; status?: BodyMatch },
): nock.Scope {
  return scope
    .post('/repos/o/r/deployments', o.body ?? (() => true))
    .reply(201, { id: o.id })
    .post(`/repos/o/r/deployments/${o.id}/statuses`, o.status ?? (() => true))
    .reply(201, {});
}

/**
 * What apply reports for a commit with no failover PR (so no comment): the PR lookup, a check run and
 * one deployment with its status. The check run and status bodies are kept as `check` and `status`.
 */
export function expectReportsWithoutPr(sha: string, bodies: RequestBodies): nock.Scope {
  const scope = nock(GITHUB_API)
    .get(`/repos/o/r/commits/${sha}/pulls`)
    .reply(200, [])
    .post('/repos/o/r/check-runs', keepBody(bodies, 'check'))
    .reply(201, { id: 12 });
  return expectDeployment(scope, { id: 32, status: keepBody(bodies, 'status') });
}

/** A one-service config whose checks ask a local HTTP server (and optionally a local DNS responder). */
export function checkoutConfig(o: {
  httpBase: string;
  dnsResolver?: string;
  verifyTimeout?: string;
}): string {
  const dns = o.dnsResolver
    ? `
        - name: dns
          dns: { name: checkout.example.com, type: CNAME, expect: "{target}.checkout.example.com", resolver: "${o.dnsResolver}" }
          interval: 100ms
          failure_limit: 2`
    : '';
  return `version: 1
services:
  checkout:
    targets: [us-east-1, us-west-2]
    state:
      file: ${TFVARS}
      key: checkout_active_region
    verify:
      timeout: ${o.verifyTimeout ?? '10s'}
      checks:
        - name: health
          http: { url: "${o.httpBase}/{target}/healthz", status: 200 }
          interval: 100ms
          successes: 2
          failure_limit: 2${dns}
    preflight:
      timeout: 10s
      checks:
        - name: target-healthy
          http: { url: "${o.httpBase}/{target}/healthz", status: 200 }
          interval: 100ms
          failure_limit: 1
`;
}

/** The merged failover PR (#7) of `sha`, carrying `marker` in its body, looked up with `token`. */
export function expectFailoverPr(sha: string, token: string, marker: FailoverMarker): nock.Scope {
  return nock(GITHUB_API)
    .get(`/repos/o/r/commits/${sha}/pulls`)
    .matchHeader('authorization', `token ${token}`)
    .reply(200, [
      {
        number: 7,
        body: `Failover checkout\n\n${renderMarker(marker)}`,
        html_url: 'https://github.com/o/r/pull/7',
        merged_at: new Date().toISOString(),
        // The Action believes the marker (for the RTO) only on the app's own PR merged as this commit.
        merge_commit_sha: sha,
        user: { login: 'gitops-failover[bot]', type: 'Bot' },
        head: { ref: 'failover/checkout', repo: { full_name: 'o/r' } },
      },
    ]);
}

/** A marker as the bot writes it for an automatic checkout failover whose first alert was `agoMs` ago. */
export function checkoutMarker(agoMs: number): FailoverMarker {
  const startedAt = new Date(Date.now() - agoMs).toISOString();
  return {
    v: 1,
    kind: 'auto',
    services: ['checkout'],
    changes: [{ service: 'checkout', from: 'us-east-1', to: 'us-west-2' }],
    startedAt,
    receivedAt: startedAt,
    fingerprints: ['abc123'],
    trigger: { type: 'alert', sources: ['alertmanager'] },
  };
}

/** A fake `terraform` (a shell script) written once per test file; returns its path (valid in tests). */
export function fakeTerraformPerFile(script: string): () => string {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'failover-fake-tf-'));
    writeFileSync(join(dir, 'terraform'), script);
    chmodSync(join(dir, 'terraform'), 0o755);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return () => join(dir, 'terraform');
}
