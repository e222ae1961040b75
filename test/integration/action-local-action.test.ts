// The Action as GitHub's own tool runs it: @github/local-action imports src/action/main.ts (stubbing
// @actions/core and @actions/github) and calls its run(). The env file is .env.example with the paths of
// this test's infra repo filled in, so the documented template is what is proven to work.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkoutConfig, makeInfraRepo } from '../helpers/action-harness.js';
import { type RunningHttpTarget, startHttpTarget } from '../helpers/probe-targets.js';

const ROOT = process.cwd();
const LOCAL_ACTION = join(ROOT, 'node_modules', '@github', 'local-action', 'bin', 'local-action.js');

let http: RunningHttpTarget;
beforeAll(async () => {
  http = await startHttpTarget({
    '/us-west-2/healthz': { status: 200 },
    '/us-east-1/healthz': { status: 503 },
  });
});
afterAll(() => http.close());

/** .env.example with some keys set to other values (every other line kept as documented). */
function envFileFromExample(values: Record<string, string>): string {
  const example = readFileSync(join(ROOT, '.env.example'), 'utf8');
  for (const key of Object.keys(values))
    expect(example, `.env.example lists ${key}`).toMatch(new RegExp(`^${key}=`, 'm'));
  return example
    .split('\n')
    .map((line) => {
      const key = /^([A-Z_][A-Z0-9_-]*)=/.exec(line)?.[1];
      return key !== undefined && key in values ? `${key}=${values[key]}` : line;
    })
    .join('\n');
}

function localAction(envFile: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [LOCAL_ACTION, 'run', ROOT, 'src/action/main.ts', envFile],
      {
        cwd: ROOT,
        env: {
          PATH: `${join(ROOT, 'node_modules', '.bin')}:${process.env.PATH ?? ''}`,
          HOME: process.env.HOME ?? '',
          // npm exec runs local-action's tsx from node_modules; never from the registry.
          npm_config_offline: 'true',
          // node_modules is a symlink in this checkout: without this, the modules local-action stubs (found
          // by `npm ls` under the link) and the ones the Action loads (the link's target) would differ.
          NODE_PRESERVE_SYMLINKS: '1',
          NO_COLOR: '1',
        },
        timeout: 120_000,
        maxBuffer: 16 << 20,
      },
      (err, stdout, stderr) => {
        resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, out: stdout + stderr });
      },
    );
  });
}

describe('the Action under @github/local-action', () => {
  it('runs verify through run(): outputs set (verified=true), job summary written, no token used', async () => {
    const repo = makeInfraRepo(checkoutConfig({ httpBase: http.url, verifyTimeout: '20s' }), {
      from: 'us-east-1',
      to: 'us-west-2',
    });
    const scratch = mkdtempSync(join(tmpdir(), 'failover-local-action-'));
    try {
      const summary = join(scratch, 'summary.md');
      writeFileSync(summary, '');
      const envFile = join(scratch, '.env');
      writeFileSync(
        envFile,
        envFileFromExample({
          'INPUT_WORKING-DIRECTORY': 'envs/prod',
          GITHUB_WORKSPACE: repo.dir,
          GITHUB_SHA: repo.after,
          GITHUB_STEP_SUMMARY: summary,
        }),
      );
      const before = http.requests.length;
      const run = await localAction(envFile);
      expect(run.code, run.out).toBe(0);
      expect(run.out).toContain('Running Action');
      // local-action's table of the outputs the Action set through its stubbed core.setOutput.
      expect(run.out).toMatch(/'verified'\s*│ 'true'/);
      expect(run.out).toMatch(/'changed-services'\s*│ ''/);
      expect(run.out).not.toMatch(/::error::/);
      expect(http.requests.slice(before).map((q) => q.path)).toContain('/us-west-2/healthz');
      expect(readFileSync(summary, 'utf8')).toContain('#### checkout on us-west-2');
    } finally {
      repo.cleanup();
      rmSync(scratch, { recursive: true, force: true });
    }
  }, 180_000);
});
