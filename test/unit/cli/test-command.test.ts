// `failover test`: exit codes, the one-line-per-expectation report, --json, the moving clock and
// case-insensitive matching, on scenario files written to a temporary folder.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runInProcess } from '../../helpers/cli-io.js';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'failover-test-'));
  cpSync('examples/infra-repo', join(dir, 'infra'), { recursive: true });
  cpSync('examples/scenarios/alerts/checkout-east-down.json', join(dir, 'east-down.json'));
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

const HEAD = 'version: 1\nname: east down\nrepo: infra\nstart: 2026-11-26T03:00:00Z\n';

function scenario(name: string, steps: string): string {
  const file = join(dir, name);
  writeFileSync(file, `${HEAD}steps:\n${steps}`);
  return file;
}

describe('failover test', () => {
  it('exits 0 and prints one line per expectation, then the totals', async () => {
    const file = scenario(
      'ok.yaml',
      '  - at: 1m\n    alert: east-down.json\n    expect:\n      checkout: { action: none, reason: STABILIZE }\n      open_prs: 0\n',
    );
    const res = await runInProcess(['test', file]);
    expect(res.stderr).toBe('');
    expect(res.stdout).toBe(
      [
        `ok   ${file} step 1 (at 1m) checkout: action none, reason contains "STABILIZE"`,
        `ok   ${file} step 1 (at 1m) open_prs: 0`,
        '2 passed, 0 failed',
        '',
      ].join('\n'),
    );
    expect(res.code).toBe(0);
  });

  it('exits 1 when an expectation fails, saying what was seen instead', async () => {
    const file = scenario(
      'bad.yaml',
      '  - at: 1m\n    alert: east-down.json\n    expect:\n      checkout: { action: merge }\n  - at: 2m\n    expect: { state: { checkout: us-west-2 } }\n',
    );
    const res = await runInProcess(['test', file]);
    expect(res.stdout.split('\n')).toEqual([
      // Every refusal ends with one sentence: what was refused, why, and the command a person can give next.
      `FAIL ${file} step 1 (at 1m) checkout: action merge; got none: stabilize: firing for 1m (need 2m); Refused: automatic failover of checkout off us-east-1, because stabilize: firing for 1m (need 2m). Next: \`/failover checkout us-west-2\`.`,
      `FAIL ${file} step 2 (at 2m) state.checkout: us-west-2; got us-east-1`,
      '0 passed, 2 failed',
      '',
    ]);
    expect(res.code).toBe(1);
  });

  it('counts a step that cannot be played as a failure', async () => {
    const file = scenario('nomerge.yaml', '  - at: 0s\n    merge: checkout\n    expect: { open_prs: 0 }\n');
    const res = await runInProcess(['test', file]);
    expect(res.stdout).toContain(
      `FAIL ${file} step 1 (at 0s) merge checkout: could not be played: no open failover PR for checkout to merge`,
    );
    expect(res.stdout).toContain('1 passed, 1 failed');
    expect(res.code).toBe(1);
  });

  it('exits 2 with FILE:LINE:COL when a file does not parse, and still runs the others', async () => {
    const good = scenario('a.yaml', '  - at: 0s\n    expect: { open_prs: 0 }\n');
    const bad = scenario('b.yaml', '  - at: 0s\n    expect: { open_prs: -1 }\n');
    const res = await runInProcess(['test', dir]);
    expect(res.stderr).toBe(`${bad}:7:25 steps[0].expect.open_prs: -1 must be at least 0\n`);
    expect(res.stdout).toBe(`ok   ${good} step 1 (at 0s) open_prs: 0\n1 passed, 0 failed\n`);
    expect(res.code).toBe(2);
  });

  it('runs every scenario under a folder, skipping the repo folders it points at', async () => {
    scenario('one.yaml', '  - at: 0s\n    expect: { open_prs: 0 }\n');
    scenario('two.yml', '  - at: 0s\n    expect: { state: { checkout: us-east-1 } }\n');
    const res = await runInProcess(['test', dir]);
    expect(res.stdout.trim().split('\n')).toHaveLength(3);
    expect(res.stdout).toContain('2 passed, 0 failed');
    expect(res.code).toBe(0);
  });

  it('--json gives every step with its time, event, outcome and expectations', async () => {
    const file = scenario(
      'json.yaml',
      '  - at: 3m\n    alert: east-down.json\n  - at: 20m\n    health: { checkout: { us-west-2: down } }\n  - at: 21m\n    expect: { open_prs: 0 }\n',
    );
    const res = await runInProcess(['test', '--json', file]);
    expect(res.code).toBe(0);
    const json = JSON.parse(res.stdout) as {
      passed: number;
      failed: number;
      parseErrors: string[];
      scenarios: { file: string; name: string; steps: Record<string, unknown>[] }[];
    };
    expect(json).toMatchObject({ passed: 1, failed: 0, parseErrors: [] });
    const steps = json.scenarios[0]?.steps ?? [];
    expect(json.scenarios[0]).toMatchObject({ file, name: 'east down' });
    expect(steps.map((s) => [s.step, s.at, s.time, s.event])).toEqual([
      [1, '3m', '2026-11-26T03:03:00.000Z', 'alert east-down.json'],
      [2, '20m', '2026-11-26T03:20:00.000Z', 'health checkout: us-west-2 down'],
      [3, '21m', '2026-11-26T03:21:00.000Z', 'expect'],
    ]);
    expect(steps[0]?.outcome).toMatchObject({
      status: 200,
      decisions: [{ service: 'checkout', action: 'merge', from: 'us-east-1', to: 'us-west-2', pr: 1 }],
    });
    expect(steps[2]?.expectations).toEqual([{ subject: 'open_prs', expected: '0', actual: '0', pass: true }]);
  });

  it('moves one clock for the bot and GitHub: stabilize passes with time, cooldown counts from the merge', async () => {
    cpSync('examples/scenarios/alerts/checkout-west-down.json', join(dir, 'west-down.json'));
    const file = scenario(
      'clock.yaml',
      [
        '  - at: 1m',
        '    alert: east-down.json',
        '    expect: { checkout: { reason: "firing for 1m (need 2m)" } }',
        '  - at: 2m30s',
        '    alert: east-down.json',
        '    expect: { checkout: { action: merge } }',
        '  - at: 47m30s',
        '    alert: west-down.json',
        // The refusal names the PR it counted and its kind; PR #2: the stabilize refusal at 1m opened the
        // status issue, #1.
        '    expect: { checkout: { action: none, reason: "last automatic failover 45m ago, pr #2 (NEED 1H)" } }',
        '',
      ].join('\n'),
    );
    const res = await runInProcess(['test', file]);
    expect(res.stdout).toContain('3 passed, 0 failed');
    expect(res.code).toBe(0);
  });

  it('explains its usage', async () => {
    const res = await runInProcess(['test']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('name at least one scenario FILE or DIR');
    const missing = await runInProcess(['test', join(dir, 'nope.yaml')]);
    expect(missing.stderr).toBe(`failover test: ${join(dir, 'nope.yaml')} does not exist\n`);
    expect(missing.code).toBe(2);
  });
});
