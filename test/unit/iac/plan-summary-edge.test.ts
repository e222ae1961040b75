// Hand-built plan bodies for cases the recorded fixtures do not contain.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors.js';
import { renderPlanSummary, summarisePlan } from '../../../src/iac/plan-summary.js';

type Change = {
  actions: string[];
  before?: unknown;
  after?: unknown;
  after_unknown?: unknown;
  before_sensitive?: unknown;
  after_sensitive?: unknown;
  replace_paths?: unknown;
};

function rc(address: string, change: Change, extra: Record<string, unknown> = {}) {
  const [type = 'x', name = 'y'] = address.split('.').slice(-2);
  return { address, mode: 'managed', type, name, change, ...extra };
}

function plan(extra: Record<string, unknown>) {
  return { format_version: '1.2', terraform_version: '1.11.4', planned_values: {}, ...extra };
}

describe('summarisePlan refuses what is not a plan', () => {
  const cases: [string, unknown, RegExp][] = [
    ['null', null, /not a Terraform plan.*got null/],
    ['an array', [1, 2], /not a Terraform plan.*got an array/],
    ['a number', 42, /got number/],
    ['unparsable text', '{"format_version": ', /not JSON/],
    ['an alert payload', { receiver: 'x', alerts: [] }, /not a Terraform plan/],
    ['a plan without format_version', { resource_changes: [] }, /format_version/],
    [
      'a future major format',
      { format_version: '2.0', resource_changes: [] },
      /format_version 2\.0 is not supported/,
    ],
  ];
  for (const [label, body, message] of cases) {
    it(label, () => {
      let thrown: unknown;
      try {
        summarisePlan(body);
      } catch (err: unknown) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(UserError);
      expect((thrown as Error).message).toMatch(message);
    });
  }

  it('accepts the plan as JSON text', () => {
    const s = summarisePlan(
      JSON.stringify(plan({ resource_changes: [rc('a.b', { actions: ['create'], after: {} })] })),
    );
    expect(s.counts.create).toBe(1);
  });

  it('names the entry whose action list it cannot classify', () => {
    expect(() =>
      summarisePlan(plan({ resource_changes: [rc('a.weird', { actions: ['explode'] })] })),
    ).toThrow(/a\.weird has actions \[explode\]/);
  });
});

describe('summarisePlan actions', () => {
  it('classifies create-before-destroy replacement, forget and an empty plan', () => {
    const s = summarisePlan(
      plan({
        resource_changes: [
          rc('aws_lb.cbd', { actions: ['create', 'delete'], before: { a: 1 }, after: { a: 2 } }),
          rc('aws_lb.old', { actions: ['forget'], before: { a: 1 }, after: null }),
        ],
      }),
    );
    expect(s.resources.map((r) => [r.action, r.replaceOrder])).toEqual([
      ['replace', 'create-first'],
      ['forget', undefined],
    ]);
    expect(s.counts).toMatchObject({ replace: 1, forget: 1 });
    const text = renderPlanSummary(s);
    expect(text).toContain('| `+/-` | `aws_lb.cbd` | replace |');
    expect(text).toContain('1 to forget');

    const empty = summarisePlan(plan({}));
    expect(empty.hasChanges).toBe(false);
    expect(empty.resources).toEqual([]);
  });

  it('counts an output-only change as a change in format 1.x', () => {
    const s = summarisePlan(
      plan({ output_changes: { region: { actions: ['update'], before: 'us-east-1', after: 'us-west-2' } } }),
    );
    expect(s.hasChanges).toBe(true);
    expect(renderPlanSummary(s)).toContain('| `~` | `region` | `"us-east-1"` → `"us-west-2"` |');
  });

  it('reports moved, importing, errored and incomplete plans', () => {
    const s = summarisePlan(
      plan({
        errored: true,
        complete: false,
        resource_changes: [
          rc('a.new', { actions: ['no-op'], before: {}, after: {} }, { previous_address: 'a.old' }),
          rc('a.imp', {
            actions: ['update'],
            before: { x: 1 },
            after: { x: 2 },
            ...{ importing: { id: 'i-1' } },
          }),
        ],
      }),
    );
    expect(s.resources[0]?.movedFrom).toBe('a.old');
    expect(s.resources[1]?.importing).toBe(true);
    expect(s.errored).toBe(true);
    expect(s.complete).toBe(false);
    expect(renderPlanSummary(s)).toContain('The plan stopped on an error');
  });
});

describe('summarisePlan masking', () => {
  it('masks nested sensitive parts, sensitive variables, prior state and drift', () => {
    const s = summarisePlan(
      plan({
        variables: { db_password: { value: 'pw-variable-only' }, region: { value: 'us-east-1' } },
        configuration: { root_module: { variables: { db_password: { sensitive: true }, region: {} } } },
        prior_state: {
          values: {
            root_module: {
              resources: [],
              child_modules: [
                {
                  resources: [
                    {
                      values: { conn: { dsn: 'dsn-from-state' } },
                      sensitive_values: { conn: { dsn: true } },
                    },
                  ],
                },
              ],
            },
          },
        },
        resource_changes: [
          rc('db.main', {
            actions: ['update'],
            before: { settings: [{ name: 'a', secret: 'old-nested-secret' }], port: 5432 },
            after: { settings: [{ name: 'b', secret: 'new-nested-secret' }], port: 5433 },
            before_sensitive: { settings: [{ secret: true }] },
            after_sensitive: { settings: [{ secret: true }] },
          }),
        ],
        resource_drift: [
          rc('db.main', {
            actions: ['update'],
            before: { token: 'drift-secret-before' },
            after: { token: 'drift-secret-after' },
            before_sensitive: { token: true },
            after_sensitive: { token: true },
          }),
        ],
      }),
    );
    expect(s.resources[0]?.attributes).toEqual([
      { name: 'port', before: 5432, after: 5433, forcesReplacement: false },
      {
        name: 'settings',
        before: [{ name: 'a', secret: '(sensitive)' }],
        after: [{ name: 'b', secret: '(sensitive)' }],
        forcesReplacement: false,
      },
    ]);
    expect(s.drift[0]?.attributes).toEqual([
      { name: 'token', before: '(sensitive)', after: '(sensitive)', forcesReplacement: false },
    ]);
    expect(s.secrets.sort()).toEqual(
      [
        'drift-secret-after',
        'drift-secret-before',
        'dsn-from-state',
        'new-nested-secret',
        'old-nested-secret',
        'pw-variable-only',
      ].sort(),
    );
    const text = renderPlanSummary(s);
    const { secrets, ...rest } = s;
    for (const secret of secrets) {
      expect(text).not.toContain(secret);
      expect(JSON.stringify(rest)).not.toContain(secret);
    }
  });

  it('shows an attribute that only turns sensitive, without its value', () => {
    const s = summarisePlan(
      plan({
        resource_changes: [
          rc('a.b', {
            actions: ['update'],
            before: { key: 'same-value-123' },
            after: { key: 'same-value-123' },
            before_sensitive: {},
            after_sensitive: { key: true },
          }),
        ],
      }),
    );
    expect(s.resources[0]?.attributes).toEqual([
      { name: 'key', before: '(sensitive)', after: '(sensitive)', forcesReplacement: false },
    ]);
    expect(renderPlanSummary(s)).not.toContain('same-value-123');
  });

  it('property: no string marked sensitive is ever rendered or left in the summary', () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9]{6,16}$/).map((tail) => `S3CR3T-${tail}`);
    const leaf = fc.record({
      value: fc.oneof(secret, fc.constantFrom('plain', 'us-west-2')),
      sensitive: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.dictionary(fc.stringMatching(/^[a-z_]{1,8}$/), fc.tuple(leaf, leaf), { maxKeys: 6 }),
        (attrs) => {
          const before: Record<string, unknown> = {};
          const after: Record<string, unknown> = {};
          const beforeSensitive: Record<string, unknown> = {};
          const afterSensitive: Record<string, unknown> = {};
          const marked: string[] = [];
          for (const [key, [b, a]] of Object.entries(attrs)) {
            before[key] = { inner: b.value };
            after[key] = { inner: a.value };
            if (b.sensitive) {
              beforeSensitive[key] = { inner: true };
              marked.push(b.value);
            }
            if (a.sensitive) {
              afterSensitive[key] = true;
              marked.push(a.value);
            }
          }
          const s = summarisePlan(
            plan({
              resource_changes: [
                rc('x.y', {
                  actions: ['update'],
                  before,
                  after,
                  before_sensitive: beforeSensitive,
                  after_sensitive: afterSensitive,
                }),
              ],
            }),
          );
          const { secrets, ...rest } = s;
          const shown = `${JSON.stringify(rest)}\n${renderPlanSummary(s)}`;
          for (const value of marked) {
            expect(secrets).toContain(value);
            expect(shown).not.toContain(value);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('renderPlanSummary', () => {
  it('escapes pipes and newlines so a value cannot break the table', () => {
    const s = summarisePlan(
      plan({
        resource_changes: [
          rc('a.b', { actions: ['update'], before: { v: 'x|y' }, after: { v: 'line1\nline2 `tick`' } }),
        ],
      }),
    );
    const row = renderPlanSummary(s)
      .split('\n')
      .find((line) => line.includes('`a.b`'));
    expect(row).toBe('| `~` | `a.b` | update | `v`: `"x\\|y"` → `` "line1\\nline2 `tick`" `` |');
  });

  it('fits a huge plan under the limit with a note saying how much was cut', () => {
    const changes = Array.from({ length: 3000 }, (_, i) =>
      rc(`module.fleet.terraform_data.node[${i}]`, {
        actions: ['update'],
        before: { region: 'us-east-1', weight: i },
        after: { region: 'us-west-2', weight: i + 1 },
      }),
    );
    const s = summarisePlan(plan({ resource_changes: changes }));
    const text = renderPlanSummary(s);
    expect(text.length).toBeLessThanOrEqual(60_000);
    const shown = text.split('\n').filter((line) => line.startsWith('| `~` |')).length;
    expect(shown).toBeGreaterThan(100);
    expect(text).toMatch(new RegExp(`Cut to fit: ${3000 - shown} of 3000 rows are not shown`));
    expect(renderPlanSummary(s, 5_000).length).toBeLessThanOrEqual(5_000);
  });
});
