// The `failover` CLI as a user runs it: a separate Node process (through tsx), real files, real exit codes.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function failover(args: string[], env: Record<string, string> = {}, stdin?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', ...args],
      { env: { ...process.env, FAILOVER_DEBUG: '', ...env }, timeout: 20_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    child.stdin?.end(stdin ?? '');
  });
}

const REPO = 'examples/infra-repo';
const ALERT = 'examples/alerts/alertmanager-region-down.json';
const tmp = mkdtempSync(join(tmpdir(), 'failover-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('failover CLI (spawned)', () => {
  it('simulate: the demo prints the trace, the diff and the PR, exit 0', async () => {
    const r = await failover(['simulate', '--repo', REPO, '--alert', ALERT, '--now', '2026-11-26T03:10:00Z']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^checkout: merge {2}us-east-1 → us-west-2/m);
    expect(r.stdout).toContain('+  "checkout_active_region": "us-west-2",');
    expect(r.stdout).toContain('title:  Failover checkout: us-east-1 → us-west-2');
  });

  it('simulate --json: the documented shape', async () => {
    const r = await failover([
      'simulate',
      '--repo',
      REPO,
      '--alert',
      ALERT,
      '--now',
      '2026-11-26T03:10:00Z',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({
      decisions: [
        {
          service: 'checkout',
          action: 'merge',
          from: 'us-east-1',
          to: 'us-west-2',
          reasons: [expect.any(String)],
        },
      ],
      diff: expect.stringContaining('--- a/envs/prod/failover.auto.tfvars.json'),
      pr: {
        title: 'Failover checkout: us-east-1 → us-west-2',
        branch: 'failover/checkout',
        body: expect.any(String),
      },
    });
  });

  it('simulate --alert -: the payload piped on stdin', async () => {
    const payload = readFileSync(ALERT, 'utf8');
    const r = await failover(
      ['simulate', '--repo', REPO, '--alert', '-', '--now', '2026-11-26T03:10:00Z', '--json'],
      {},
      payload,
    );
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { pr: { branch: string } }).pr.branch).toBe('failover/checkout');
  });

  it('simulate --command: a manual failover of the weighted gateway', async () => {
    const r = await failover([
      'simulate',
      '--repo',
      REPO,
      '--command',
      '/failover edge-gateway us-west-2',
      '--user',
      'alice',
      '--permission',
      'maintain',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { pr: { branch: string } | null; diff: string };
    expect(out.pr?.branch).toBe('failover/edge-gateway');
    expect(out.diff).toContain('+    "us-west-2": 100,');
  });

  it('simulate: exit 2 and one clear line on an invalid payload, no stack trace', async () => {
    const payload = join(tmp, 'bad-alert.json');
    writeFileSync(payload, JSON.stringify({ version: '4', status: 'firing', alerts: [{ labels: 'x' }] }));
    const r = await failover(['simulate', '--repo', REPO, '--alert', payload]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^failover: invalid payload/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('validate: exit 0 on the example, exit 1 with FILE:LINE:COL lines on a broken copy', async () => {
    const good = await failover(['validate', '--config', `${REPO}/.github/failover.yml`]);
    expect(good).toMatchObject({
      code: 0,
      stdout: `valid: 4 services, 1 group (${REPO}/.github/failover.yml)\n`,
    });

    const file = join(tmp, 'failover.yml');
    writeFileSync(file, 'version: 1\nservices:\n  checkout:\n    targets: [us-east-1, "us west 2"]\n');
    const bad = await failover(['validate', '--config', file]);
    expect(bad.code).toBe(1);
    expect(bad.stdout.trimEnd().split('\n')).toEqual([
      `${file}:3:3 services.checkout.state: is required`,
      `${file}:4:26 services.checkout.targets[1]: "us west 2" must be lowercase letters, digits, '.', '_' or '-' (at most 64 characters, no spaces)`,
    ]);
  });

  it('status: the active target per service', async () => {
    const r = await failover(['status', '--repo', REPO]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^checkout\s+active-passive\s+us-east-1\s/m);
  });

  it('plan-summary --json on a saved plan', async () => {
    const r = await failover([
      'plan-summary',
      'test/fixtures/terraform/plan-delete-and-update-tf1.5.json',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { resources: { address: string; action: string }[]; delete: number };
    expect(out.delete).toBeGreaterThan(0);
    expect(out.resources.every((res) => typeof res.address === 'string')).toBe(true);
  });

  it('exit 2 on an unknown command; stack trace only with FAILOVER_DEBUG=1', async () => {
    const r = await failover(['deploy']);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toMatch(/^failover: unknown command "deploy"/);
    const debug = await failover(['simulate', '--repo', REPO, '--alert', '/nonexistent.json'], {
      FAILOVER_DEBUG: '1',
    });
    expect(debug.code).toBe(2);
    expect(debug.stderr).toMatch(
      /^CliError: cannot read alert payload \/nonexistent\.json: no such file\n\s+at /,
    );
  });
});
