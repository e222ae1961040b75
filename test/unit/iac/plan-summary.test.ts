import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors.js';
import { type PlanSummary, renderPlanSummary, summarisePlan } from '../../../src/iac/plan-summary.js';

const TF_FIXTURES = join(import.meta.dirname, '../../fixtures/terraform');
const IAC_FIXTURES = join(import.meta.dirname, '../../fixtures/iac');

function load(dir: string, file: string): unknown {
  return JSON.parse(readFileSync(join(dir, file), 'utf8'));
}

/**
 * Everything of a summary except `secrets`, as a reader or a JSON consumer would see it. Resource
 * names are left out of the JSON part: a fixture names a resource "bar" and also has "bar" as a
 * sensitive value, and names are configuration, not values.
 */
function visible(s: PlanSummary): string {
  const { secrets: _secrets, resources, drift, ...rest } = s;
  const values = [...resources, ...drift].map((r) => [r.address, r.action, r.reason, r.attributes]);
  return `${JSON.stringify({ ...rest, values })}\n${renderPlanSummary(s)}`;
}

const actionsOf = (s: PlanSummary) => s.resources.map((r) => [r.address, r.action]);

describe('summarisePlan on the shared terraform fixtures', () => {
  it('covers every plan fixture in test/fixtures/terraform with an expectation below', () => {
    const plans = readdirSync(TF_FIXTURES).filter((f) => f.startsWith('plan-'));
    expect(plans.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  const EXPECTED: Record<
    string,
    { counts: Partial<PlanSummary['counts']>; hasChanges: boolean; actions: string[][] }
  > = {
    'plan-create-basic-tf0.12.json': {
      counts: { create: 7, read: 1 },
      hasChanges: true,
      actions: [
        ['data.null_data_source.baz', 'read'],
        ['module.foo.null_resource.aliased', 'create'],
        ['module.foo.null_resource.foo', 'create'],
        ['null_resource.bar', 'create'],
        ['null_resource.baz[0]', 'create'],
        ['null_resource.baz[1]', 'create'],
        ['null_resource.baz[2]', 'create'],
        ['null_resource.foo', 'create'],
      ],
    },
    'plan-create-sensitive-values-tf1.1.json': {
      counts: { create: 7 },
      hasChanges: true,
      actions: [
        ['module.foo.null_resource.aliased', 'create'],
        ['module.foo.null_resource.foo', 'create'],
        ['null_resource.bar', 'create'],
        ['null_resource.baz[0]', 'create'],
        ['null_resource.baz[1]', 'create'],
        ['null_resource.baz[2]', 'create'],
        ['null_resource.foo', 'create'],
      ],
    },
    'plan-create-with-checks-tf1.5.json': {
      counts: { create: 2 },
      hasChanges: true,
      actions: [
        ['module.files.local_file.foo["file1.txt"]', 'create'],
        ['module.files.local_file.foo["file2.txt"]', 'create'],
      ],
    },
    'plan-delete-and-update-tf1.5.json': {
      counts: { update: 1, delete: 1 },
      hasChanges: true,
      actions: [
        ['test_instance.test', 'update'],
        ['test_instance.test-delete', 'delete'],
      ],
    },
    'plan-no-changes-tf0.12.json': {
      counts: { no_op: 6 },
      hasChanges: false,
      actions: [
        ['module.foo.null_resource.foo', 'no-op'],
        ['null_resource.bar', 'no-op'],
        ['null_resource.baz[0]', 'no-op'],
        ['null_resource.baz[1]', 'no-op'],
        ['null_resource.baz[2]', 'no-op'],
        ['null_resource.foo', 'no-op'],
      ],
    },
    'plan-replace-tainted-tf1.15.json': {
      counts: { replace: 1 },
      hasChanges: true,
      actions: [['null_resource.example', 'replace']],
    },
    'plan-update-with-drift-tf1.5.json': {
      counts: { update: 2 },
      hasChanges: true,
      actions: [
        ['test_instance.no_refresh', 'update'],
        ['test_instance.should_refresh', 'update'],
      ],
    },
  };

  for (const [file, want] of Object.entries(EXPECTED)) {
    it(`${file}: counts, addresses and actions`, () => {
      const s = summarisePlan(load(TF_FIXTURES, file));
      const zero = { create: 0, update: 0, delete: 0, replace: 0, no_op: 0, read: 0, forget: 0 };
      expect(s.counts).toEqual({ ...zero, ...want.counts });
      expect(s.hasChanges).toBe(want.hasChanges);
      expect(actionsOf(s)).toEqual(want.actions);
      const rendered = renderPlanSummary(s);
      expect(rendered.split('\n')[0]).toMatch(
        /^\*\*Plan:\*\* \d+ to create, \d+ to update, \d+ to delete, \d+ to replace/,
      );
    });
  }

  it('reads module, index, mode and format details (format 0.1)', () => {
    const s = summarisePlan(load(TF_FIXTURES, 'plan-create-basic-tf0.12.json'));
    expect(s.formatVersion).toBe('0.1');
    expect(s.terraformVersion).toBe('0.12.11');
    const aliased = s.resources.find((r) => r.address === 'module.foo.null_resource.aliased');
    expect(aliased).toMatchObject({
      module: 'module.foo',
      type: 'null_resource',
      name: 'aliased',
      mode: 'managed',
    });
    expect(s.resources.find((r) => r.address === 'null_resource.baz[2]')?.index).toBe(2);
    expect(s.resources[0]).toMatchObject({ mode: 'data', action: 'read', attributes: [] });
    expect(s.outputs.map((o) => [o.name, o.action])).toContainEqual(['string', 'create']);
    expect(s.outputs.find((o) => o.name === 'interpolated')?.after).toBe('(known after apply)');
    expect(renderPlanSummary(s)).toContain('| `<=` | `data.null_data_source.baz` | read |');
  });

  it('does not count format-0.1 output "creates" as changes in a no-op plan', () => {
    const s = summarisePlan(load(TF_FIXTURES, 'plan-no-changes-tf0.12.json'));
    expect(s.outputs).toHaveLength(8);
    expect(s.hasChanges).toBe(false);
    const text = renderPlanSummary(s);
    expect(text).toContain('No changes.');
    expect(text).not.toContain('#### Resource changes');
  });

  it('shows the changed attribute of an update and the delete reason', () => {
    const s = summarisePlan(load(TF_FIXTURES, 'plan-delete-and-update-tf1.5.json'));
    expect(s.resources[0]?.attributes).toEqual([
      { name: 'ami', before: 'foo', after: 'bar', forcesReplacement: false },
    ]);
    expect(s.resources[1]).toMatchObject({ reason: 'delete_because_no_resource_config', attributes: [] });
    expect(s.outputs).toEqual([
      { name: 'test', action: 'create', sensitive: false, before: null, after: 'bar' },
    ]);
    const text = renderPlanSummary(s);
    expect(text).toContain('| `~` | `test_instance.test` | update | `ami`: `"foo"` → `"bar"` |');
    expect(text).toContain(
      '| `-` | `test_instance.test-delete` | delete (delete because no resource config) |',
    );
  });

  it('marks a tainted replacement delete-first with the -/+ symbol', () => {
    const s = summarisePlan(load(TF_FIXTURES, 'plan-replace-tainted-tf1.15.json'));
    expect(s.resources[0]).toMatchObject({
      action: 'replace',
      replaceOrder: 'delete-first',
      reason: 'replace_because_tainted',
    });
    expect(s.complete).toBe(true);
    expect(renderPlanSummary(s)).toContain(
      '| `-/+` | `null_resource.example` | replace (replace because tainted) |',
    );
  });

  it('reports drift separately from the planned changes', () => {
    const s = summarisePlan(load(TF_FIXTURES, 'plan-update-with-drift-tf1.5.json'));
    expect(s.drift).toHaveLength(1);
    expect(s.drift[0]).toMatchObject({ address: 'test_instance.should_refresh', action: 'update' });
    expect(s.drift[0]?.attributes).toEqual([
      { name: 'ami', before: 'refresh-me', after: 'refreshed', forcesReplacement: false },
    ]);
    const text = renderPlanSummary(s);
    expect(text).toContain('1 drifted');
    expect(text).toContain('#### Drift: changed outside Terraform');
    expect(text).toContain('`ami`: `"refresh-me"` → `"refreshed"`');
  });

  it('summarises check results', () => {
    const s = summarisePlan(load(TF_FIXTURES, 'plan-create-with-checks-tf1.5.json'));
    expect(s.checks).toEqual([
      { address: 'module.files.local_file.foo', kind: 'resource', status: 'pass', problems: [] },
    ]);
    expect(renderPlanSummary(s)).toContain('| pass | `module.files.local_file.foo` (resource) |');
  });

  for (const file of ['state-basic-tf0.12.json', 'state-sensitive-values-tf1.1.json']) {
    it(`${file}: refused as a state, not a plan`, () => {
      expect(() => summarisePlan(load(TF_FIXTURES, file))).toThrow(UserError);
      expect(() => summarisePlan(load(TF_FIXTURES, file))).toThrow(/a Terraform state, not a plan/);
    });
  }
});

describe('summarisePlan: sensitive values', () => {
  it('masks sensitive outputs and keeps their values only in secrets (format 0.2)', () => {
    const s = summarisePlan(load(TF_FIXTURES, 'plan-create-sensitive-values-tf1.1.json'));
    expect(s.outputs.find((o) => o.name === 'foo')).toEqual({
      name: 'foo',
      action: 'create',
      sensitive: true,
      before: null,
      after: '(sensitive)',
    });
    expect(s.secrets).toEqual(['bar']);
    // "bar" is the sensitive output value; as a quoted value it must appear nowhere a reader sees.
    expect(visible(s)).not.toContain('"bar"');
    expect(visible(s)).not.toContain('`bar`');
  });

  it('masks the output that the format-0.1 configuration marks sensitive', () => {
    const s = summarisePlan(load(TF_FIXTURES, 'plan-create-basic-tf0.12.json'));
    expect(s.outputs.find((o) => o.name === 'foo')).toMatchObject({ sensitive: true, after: '(sensitive)' });
    expect(s.secrets).toEqual(['bar']);
    expect(visible(s)).not.toContain('"bar"');
  });

  it('a real Terraform 1.11 flip: tokens never visible, copies Terraform left unmarked are scrubbed', () => {
    const s = summarisePlan(load(IAC_FIXTURES, 'plan-flip-terraform-data-tf1.11.json'));
    expect(s.counts).toMatchObject({ update: 2, replace: 1, create: 0, delete: 0 });
    expect(actionsOf(s)).toEqual([
      ['terraform_data.active_region', 'update'],
      ['terraform_data.api_token', 'update'],
      ['terraform_data.dns_target', 'replace'],
    ]);
    expect(s.secrets).toEqual(['tok-fixture-east-7f3a9c', 'tok-fixture-west-2b81e4']);
    expect(visible(s)).not.toContain('tok-fixture');
    const token = s.resources.find((r) => r.address === 'terraform_data.api_token');
    // `output` is not marked sensitive in the plan JSON although it copies the sensitive input.
    expect(token?.attributes).toEqual([
      { name: 'input', before: '(sensitive)', after: '(sensitive)', forcesReplacement: false },
      { name: 'output', before: '(sensitive)', after: '(known after apply)', forcesReplacement: false },
    ]);
    const dns = s.resources.find((r) => r.address === 'terraform_data.dns_target');
    expect(dns?.attributes.find((a) => a.name === 'triggers_replace')).toEqual({
      name: 'triggers_replace',
      before: 'us-east-1',
      after: 'us-west-2',
      forcesReplacement: true,
    });
    const text = renderPlanSummary(s);
    expect(text).toContain('`input`: `"us-east-1"` → `"us-west-2"`');
    expect(text).toContain('`triggers_replace`: `"us-east-1"` → `"us-west-2"` **forces replacement**');
    expect(text).toContain('| `~` | `api_token` | (sensitive) → (sensitive) |');
    expect(s.checks).toEqual([{ address: 'var.active_region', kind: 'var', status: 'pass', problems: [] }]);
  });
});
