// Failure paths and argument contracts of the IaC runner, driven through a fake CLI: a small shell
// script in a temp dir that records its argv and answers as told by env variables.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors.js';
import { IacError } from '../../../src/iac/errors.js';
import type { ExecFn } from '../../../src/iac/exec.js';
import { createIacRunner, type IacStepLog } from '../../../src/iac/runner.js';

const FAKE = `#!/bin/sh
# Records "<TF_IN_AUTOMATION> <argv>" and behaves per FAKE_<STEP> = ok | fail | changes | garbage.
echo "$TF_IN_AUTOMATION $*" >> "$FAKE_LOG"
step="$1"
mode=$(eval echo "\\$FAKE_$(echo "$step" | tr a-z A-Z)")
case "$mode" in
  fail)
    echo "progress line on stdout"
    printf '\\n│ Error: %s failed on purpose\\n│\\n│ detail for %s\\n╵\\n' "$step" "$step" >&2
    exit 1 ;;
  changes) echo "Plan: 1 to add"; exit 2 ;;
  garbage) echo "not json: token=hunter2-garbage"; exit 0 ;;
  json) echo '{"format_version":"1.2","planned_values":{},"resource_changes":[]}'; exit 0 ;;
  *) echo "$step ok"; exit 0 ;;
esac
`;

let dir: string;
let logFile: string;
let fake: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'iac-fake-'));
  logFile = join(dir, 'calls.log');
  fake = join(dir, 'fake-terraform');
  writeFileSync(fake, FAKE);
  chmodSync(fake, 0o755);
  mkdirSync(join(dir, 'bin'));
  writeFileSync(join(dir, 'bin', 'tofu'), FAKE);
  chmodSync(join(dir, 'bin', 'tofu'), 0o755);
  writeFileSync(join(dir, 'not-executable'), FAKE);
  chmodSync(join(dir, 'not-executable'), 0o644);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runner(env: Record<string, string> = {}, binary = fake) {
  writeFileSync(logFile, '');
  const logs: IacStepLog[] = [];
  const r = createIacRunner({
    tool: 'terraform',
    binary,
    cwd: dir,
    env: { FAKE_LOG: logFile, TF_IN_AUTOMATION: '0', ...env },
    log: (entry) => logs.push(entry),
  });
  return { r, logs, calls: () => readFileSync(logFile, 'utf8').trim().split('\n').filter(Boolean) };
}

async function failure(promise: Promise<unknown>): Promise<IacError> {
  try {
    await promise;
  } catch (err: unknown) {
    expect(err).toBeInstanceOf(IacError);
    expect(err).toBeInstanceOf(UserError);
    return err as IacError;
  }
  throw new Error('expected the step to fail');
}

describe('IaC runner with a fake CLI', () => {
  it('passes the non-interactive flags and TF_IN_AUTOMATION=1 to every step', async () => {
    const { r, logs, calls } = runner({ FAKE_PLAN: 'changes', FAKE_SHOW: 'json' });
    await r.init();
    const plan = await r.plan('out.tfplan');
    expect(plan).toMatchObject({ changes: true, exitCode: 2, planFile: 'out.tfplan' });
    expect(await r.showJson('out.tfplan')).toEqual({
      format_version: '1.2',
      planned_values: {},
      resource_changes: [],
    });
    await r.apply('out.tfplan');
    await r.apply();
    expect(calls()).toEqual([
      '1 init -input=false -no-color',
      '1 plan -input=false -no-color -detailed-exitcode -out=out.tfplan',
      '1 show -json -no-color out.tfplan',
      '1 apply -input=false -no-color out.tfplan',
      '1 apply -input=false -no-color -auto-approve',
    ]);
    expect(logs.map((l) => [l.step, l.ok, l.exitCode, l.tool])).toEqual([
      ['init', true, 0, 'terraform'],
      ['plan', true, 2, 'terraform'],
      ['show', true, 0, 'terraform'],
      ['apply', true, 0, 'terraform'],
      ['apply', true, 0, 'terraform'],
    ]);
    for (const entry of logs) expect(entry.ms).toBeGreaterThanOrEqual(0);
  });

  it('plan exit 0 means no changes', async () => {
    const { r } = runner();
    expect(await r.plan('p')).toMatchObject({ changes: false, exitCode: 0 });
  });

  it('init failure: IacError with the stderr tail and a failed log entry', async () => {
    const { r, logs } = runner({ FAKE_INIT: 'fail' });
    const err = await failure(r.init());
    expect(err.step).toBe('init');
    expect(err.exitCode).toBe(1);
    expect(err.message).toMatch(/init failed with exit code 1:/);
    expect(err.stderrTail).toContain('│ Error: init failed on purpose');
    expect(err.stderrTail).toContain('│ detail for init');
    expect(err.stderrTail).not.toContain('progress line on stdout');
    expect(logs).toEqual([expect.objectContaining({ step: 'init', ok: false, exitCode: 1 })]);
  });

  it('plan exit 1: IacError, not "no changes"', async () => {
    const { r } = runner({ FAKE_PLAN: 'fail' });
    const err = await failure(r.plan('p.tfplan'));
    expect(err.step).toBe('plan');
    expect(err.message).toContain('Error: plan failed on purpose');
  });

  it('apply failure', async () => {
    const { r, logs } = runner({ FAKE_APPLY: 'fail' });
    const err = await failure(r.apply('p.tfplan'));
    expect(err).toMatchObject({ step: 'apply', exitCode: 1 });
    expect(err.message).toContain('Error: apply failed on purpose');
    expect(logs.at(-1)).toMatchObject({ step: 'apply', ok: false });
  });

  it('show printing something that is not JSON: IacError that does not echo the output', async () => {
    const { r } = runner({ FAKE_SHOW: 'garbage' });
    const err = await failure(r.showJson('p.tfplan'));
    expect(err.step).toBe('show');
    expect(err.message).toMatch(/did not print JSON/);
    expect(err.message).not.toContain('hunter2');
  });

  it('missing binary on PATH: says so and names the input to set', async () => {
    const logs: IacStepLog[] = [];
    const r = createIacRunner({
      tool: 'terraform',
      cwd: dir,
      env: { PATH: join(dir, 'empty') },
      log: (e) => logs.push(e),
    });
    const err = await failure(r.init());
    expect(err.message).toBe('terraform not found on PATH (set iac-binary)');
    expect(logs).toEqual([expect.objectContaining({ step: 'init', ok: false })]);
  });

  it('missing or non-executable explicit binary', async () => {
    const missing = await failure(runner({}, join(dir, 'nope', 'terraform')).r.init());
    expect(missing.message).toBe(`${join(dir, 'nope', 'terraform')} not found (check iac-binary)`);
    const blocked = await failure(runner({}, join(dir, 'not-executable')).r.plan('p'));
    expect(blocked.message).toBe(`${join(dir, 'not-executable')} is not executable (check iac-binary)`);
  });

  it('tool tofu runs the `tofu` binary from PATH', async () => {
    writeFileSync(logFile, '');
    const r = createIacRunner({ tool: 'tofu', cwd: dir, env: { PATH: join(dir, 'bin'), FAKE_LOG: logFile } });
    expect(r.binary).toBe('tofu');
    await r.init();
    expect(readFileSync(logFile, 'utf8')).toBe('1 init -input=false -no-color\n');
  });
});

describe('IaC runner with an injected exec', () => {
  it('hands argv (no shell string), cwd and env to exec and times steps with the injected clock', async () => {
    const seen: { file: string; args: string[]; cwd: string; automation?: string }[] = [];
    const exec: ExecFn = async (file, args, options) => {
      seen.push({ file, args, cwd: options.cwd, automation: options.env.TF_IN_AUTOMATION });
      return { exitCode: 0, stdout: '', stderr: '' };
    };
    let clock = 1000;
    const logs: IacStepLog[] = [];
    const r = createIacRunner({
      tool: 'terraform',
      cwd: '/infra/prod',
      exec,
      now: () => (clock += 250),
      log: (e) => logs.push(e),
    });
    await r.init(['-backend=false']);
    expect(seen).toEqual([
      {
        file: 'terraform',
        args: ['init', '-input=false', '-no-color', '-backend=false'],
        cwd: '/infra/prod',
        automation: '1',
      },
    ]);
    expect(logs).toEqual([{ step: 'init', ms: 250, ok: true, tool: 'terraform', exitCode: 0 }]);
  });

  it('a start failure other than ENOENT/EACCES is reported with its message', async () => {
    const exec: ExecFn = async () => {
      throw Object.assign(new Error('spawn E2BIG'), { code: 'E2BIG' });
    };
    const err = await failure(createIacRunner({ tool: 'terraform', cwd: '/x', exec }).init());
    expect(err.message).toBe('terraform init could not be started: spawn E2BIG');
  });
});

describe('IaC runner for cdktn', () => {
  // A stand-in for node_modules/.bin/cdktn: records argv and cwd, writes the manifest cdktn would, or
  // fails the way cdktn does when the app throws.
  const FAKE_CDKTN = `#!/bin/sh
echo "$PWD $*" >> "$FAKE_LOG"
if [ "$FAKE_SYNTH" = fail ]; then
  echo "Generating Terraform code"
  printf 'ERROR: cdktn encountered an error while synthesizing\n\nError:  node main.ts exited with code 1\n    FailoverSynthError: state/failover.json: key "k" holds "x", which is not a target\n    at flagOf (file:///app/index.js:1:1)\n' >&2
  exit 1
fi
mkdir -p cdktf.out/stacks/prod cdktf.out/stacks/sandbox
echo '{"stacks":{"prod":{},"sandbox":{}}}' > cdktf.out/manifest.json
echo "Generated Terraform code for the stacks: prod, sandbox"
`;

  function cdktnRepo(): { root: string; app: string; log: string } {
    const root = mkdtempSync(join(tmpdir(), 'iac-cdktn-'));
    const app = join(root, 'infra', 'app');
    mkdirSync(join(root, 'node_modules', '.bin'), { recursive: true });
    mkdirSync(app, { recursive: true });
    writeFileSync(join(root, 'node_modules', '.bin', 'cdktn'), FAKE_CDKTN);
    chmodSync(join(root, 'node_modules', '.bin', 'cdktn'), 0o755);
    const log = join(root, 'calls.log');
    writeFileSync(log, '');
    return { root, app, log };
  }

  it('needs a stack, and runs Terraform in the synthesised stack', async () => {
    expect(() => createIacRunner({ tool: 'cdktn', cwd: '/app' })).toThrow(/needs the stack/);
    const seen: string[] = [];
    const exec: ExecFn = async (_file, _args, options) => {
      seen.push(options.cwd);
      return { exitCode: 0, stdout: '', stderr: '' };
    };
    const r = createIacRunner({ tool: 'cdktn', cwd: '/app', stack: 'checkout', exec });
    expect(r.synthDir()).toBe(join('/app', 'cdktf.out', 'stacks', 'checkout'));
    expect(r.workingDir()).toBe(r.synthDir());
    await r.init();
    expect(seen).toEqual([join('/app', 'cdktf.out', 'stacks', 'checkout')]);
  });

  it("synthesises with the repo's own cdktn (found in a parent node_modules/.bin) in the app directory", async () => {
    const { root, app, log } = cdktnRepo();
    const logs: IacStepLog[] = [];
    const r = createIacRunner({
      tool: 'cdktn',
      cwd: app,
      stack: 'prod',
      repoRoot: root,
      env: { FAKE_LOG: log },
      log: (e) => logs.push(e),
    });
    const result = await r.synth();
    expect(result.stdout).toContain('Generated Terraform code for the stacks: prod, sandbox');
    expect(readFileSync(log, 'utf8').trim()).toBe(`${app} synth --output cdktf.out`);
    expect(logs).toMatchObject([{ step: 'synth', ok: true, tool: 'cdktn', exitCode: 0 }]);
    rmSync(root, { recursive: true, force: true });
  });

  it('names the stacks there are when the input stack was not synthesised', async () => {
    const { root, app, log } = cdktnRepo();
    const r = createIacRunner({
      tool: 'cdktn',
      cwd: app,
      stack: 'staging',
      repoRoot: root,
      env: { FAKE_LOG: log },
    });
    const err = await failure(r.synth());
    expect(err.message).toBe(
      'stack "staging" is not in the synthesised app (stacks: prod, sandbox); check the input "stack"',
    );
    rmSync(root, { recursive: true, force: true });
  });

  it("puts the app's own error first when the synth fails", async () => {
    const { root, app, log } = cdktnRepo();
    const r = createIacRunner({
      tool: 'cdktn',
      cwd: app,
      stack: 'prod',
      repoRoot: root,
      env: { FAKE_LOG: log, FAKE_SYNTH: 'fail' },
    });
    const err = await failure(r.synth());
    expect(err.step).toBe('synth');
    expect(err.exitCode).toBe(1);
    expect(err.message.split('\n')[0]).toBe(
      'cdktn synth failed with exit code 1: FailoverSynthError: state/failover.json: key "k" holds "x", which is not a target',
    );
    expect(err.stderrTail).toContain('ERROR: cdktn encountered an error while synthesizing');
    rmSync(root, { recursive: true, force: true });
  });

  it('does not look for cdktn above the repository root, and says how to install it', async () => {
    const { root, app } = cdktnRepo();
    const r = createIacRunner({ tool: 'cdktn', cwd: app, stack: 'prod', repoRoot: join(root, 'infra') });
    const err = await failure(r.synth());
    expect(err.message).toBe(
      `cdktn CLI not found: no node_modules/.bin/cdktn in ${app} or its parents inside the repository. ` +
        'Add cdktn-cli to the infra repo (npm install -D cdktn-cli) and install its dependencies (npm ci) before this step.',
    );
    rmSync(root, { recursive: true, force: true });
  });

  it('synth and synthDir are refused for plain terraform', async () => {
    const r = createIacRunner({ tool: 'terraform', cwd: '/infra' });
    expect(r.workingDir()).toBe('/infra');
    expect(() => r.synthDir()).toThrow(UserError);
    await expect(r.synth()).rejects.toThrow(/only for iac cdktn/);
  });
});

describe('IaC runner cancellation', () => {
  it('an aborted step ends with IacError "was cancelled"', async () => {
    const sleeper = join(dir, 'slow-terraform');
    writeFileSync(sleeper, '#!/bin/sh\nexec sleep 30\n');
    chmodSync(sleeper, 0o755);
    const controller = new AbortController();
    const logs: IacStepLog[] = [];
    const r = createIacRunner({
      tool: 'terraform',
      binary: sleeper,
      cwd: dir,
      signal: controller.signal,
      log: (e) => logs.push(e),
    });
    const pending = r.apply();
    controller.abort();
    const err = await failure(pending);
    expect(err.message).toBe(`${sleeper} apply was cancelled before it finished`);
    expect(logs).toEqual([expect.objectContaining({ step: 'apply', ok: false })]);
  });
});
