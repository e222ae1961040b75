import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../../helpers/cli-io.js';

const PLANS = readdirSync('test/fixtures/terraform').filter((f) => f.startsWith('plan-'));

describe('failover plan-summary', () => {
  it.each(PLANS)('--json gives counts and resources for %s', async (file) => {
    const r = await runInProcess(['plan-summary', `test/fixtures/terraform/${file}`, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown> & {
      resources: { address: string; action: string }[];
    };
    for (const key of ['create', 'update', 'delete', 'replace', 'no_op'])
      expect(out[key]).toBeTypeOf('number');
    for (const res of out.resources) {
      expect(Object.keys(res)).toEqual(['address', 'action']);
      expect(['create', 'update', 'delete', 'replace', 'no-op', 'read', 'forget']).toContain(res.action);
    }
    // The counts are the resources, tallied.
    const tally = (action: string) => out.resources.filter((res) => res.action === action).length;
    expect(out.create).toBe(tally('create'));
    expect(out.update).toBe(tally('update'));
    expect(out.delete).toBe(tally('delete'));
    expect(out.replace).toBe(tally('replace'));
    expect(out.no_op).toBe(tally('no-op'));
  });

  it('summarises a drifted update plan exactly', async () => {
    const r = await runInProcess([
      'plan-summary',
      'test/fixtures/terraform/plan-update-with-drift-tf1.5.json',
      '--json',
    ]);
    expect(JSON.parse(r.stdout)).toEqual({
      create: 0,
      update: 2,
      delete: 0,
      replace: 0,
      no_op: 0,
      has_changes: true,
      resources: [
        { address: 'test_instance.no_refresh', action: 'update' },
        { address: 'test_instance.should_refresh', action: 'update' },
      ],
    });
  });

  it('prints the markdown summary without --json, never a sensitive value', async () => {
    const r = await runInProcess([
      'plan-summary',
      'test/fixtures/terraform/plan-create-sensitive-values-tf1.1.json',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\*\*Plan:\*\*/);
    expect(r.stdout).toContain('(sensitive)');
  });

  it('exits 2 when the file is not JSON', async () => {
    const r = await runInProcess(['plan-summary', 'plan.json'], {
      files: { 'plan.json': 'Terraform will perform...' },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^failover: plan plan\.json is not valid JSON: /);
  });

  it('exits 2 when the JSON is not a plan', async () => {
    const r = await runInProcess([
      'plan-summary',
      'test/fixtures/alertmanager/firing-single-fire-critical.json',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/firing-single-fire-critical\.json: .*is not a Terraform plan/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 without a file, or with two', async () => {
    for (const args of [['plan-summary'], ['plan-summary', 'a.json', 'b.json']]) {
      const r = await runInProcess(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^failover plan-summary: give exactly one PLAN\.json/);
    }
  });

  it('has --help', async () => {
    const r = await runInProcess(['plan-summary', '-h']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: failover plan-summary PLAN\.json \[--json\]/);
  });
});
