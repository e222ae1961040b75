import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_ALIAS_COUNT, MAX_ISSUES, parseConfig } from '../../../src/core/config/load.js';
import { ConfigError, formatIssue } from '../../../src/core/errors.js';
import { BAD_CONFIGS, MINIMAL } from './bad-configs.js';

function errorOf(text: string, file?: string): ConfigError {
  try {
    parseConfig(text, file);
  } catch (err: unknown) {
    if (err instanceof ConfigError) return err;
    throw new Error(`expected a ConfigError, got ${String(err)}`);
  }
  throw new Error('expected the config to be rejected');
}

describe('parseConfig: bad configs', () => {
  it('has at least 30 cases', () => {
    expect(BAD_CONFIGS.length).toBeGreaterThanOrEqual(30);
  });

  it.each(BAD_CONFIGS)('$name', ({ yaml, error }) => {
    const err = errorOf(yaml);
    const lines = err.issues.map(formatIssue);
    expect(
      lines.find((l) => l.startsWith(error)),
      `got:\n${lines.join('\n')}`,
    ).toBeDefined();
    expect(err.message).toBe(lines.join('\n'));
    for (const issue of err.issues) {
      expect(issue.file).toBe('.github/failover.yml');
      expect(issue.line).toBeGreaterThanOrEqual(1);
      expect(issue.column).toBeGreaterThanOrEqual(1);
      expect(issue.message).not.toMatch(/Invalid input|Unrecognized key|\[object Object\]/);
    }
  });

  it('names the file it was given', () => {
    const err = errorOf('version: 3\n', 'infra/failover.yml');
    expect(err.issues.map(formatIssue)).toEqual([
      'infra/failover.yml:1:1 services: is required',
      'infra/failover.yml:1:10 version: 3 must be 1 (the only config version so far)',
    ]);
  });

  it('locates problems the same way in CRLF files and files with a BOM', () => {
    const text = MINIMAL.replace('[us-east-1, us-west-2]', '[us-east-1, "us west 2"]');
    for (const variant of [text, text.replace(/\n/g, '\r\n'), `\uFEFF${text}`]) {
      expect(formatIssue(errorOf(variant).issues[0]!)).toMatch(
        /^\.github\/failover\.yml:4:26 services\.checkout\.targets\[1\]:/,
      );
    }
  });

  it('reports every problem at once, in file order', () => {
    const text = MINIMAL.replace('[us-east-1, us-west-2]', '[us-east-1, "US-WEST-2"]').concat(
      '    mode: hot-standby\n    automation:\n      cooldown: soon\n',
    );
    const lines = errorOf(text).issues.map(formatIssue);
    expect(lines).toEqual([
      expect.stringMatching(
        /^\.github\/failover\.yml:4:26 services\.checkout\.targets\[1\]: "US-WEST-2" must be/,
      ),
      expect.stringMatching(
        /^\.github\/failover\.yml:8:11 services\.checkout\.mode: "hot-standby" must be one of/,
      ),
      expect.stringMatching(
        /^\.github\/failover\.yml:10:17 services\.checkout\.automation\.cooldown: "soon" must be/,
      ),
    ]);
  });
});

describe('parseConfig: good configs', () => {
  it('loads the example infra repo config', () => {
    const config = parseConfig(readFileSync('examples/infra-repo/.github/failover.yml', 'utf8'));
    expect(Object.keys(config.services)).toEqual(['checkout', 'edge-gateway', 'payments-db', 'payments-api']);
    expect(config.services.checkout?.automation).toMatchObject({
      on_alert: 'merge',
      stabilize: '2m',
      quorum: { label: 'probe', min: 2 },
    });
    expect(config.services['edge-gateway']?.mode).toBe('weighted');
    expect(config.groups).toEqual({ payments: ['payments-db', 'payments-api'] });
  });

  it('fills in every default on a minimal config', () => {
    const config = parseConfig(MINIMAL);
    expect(config).toEqual({
      version: 1,
      services: {
        checkout: {
          kind: 'other',
          targets: ['us-east-1', 'us-west-2'],
          state: { file: 'envs/prod/failover.auto.tfvars.json', key: 'checkout_active_region' },
          mode: 'active-passive',
          alerts: [],
          automation: {
            on_alert: 'pr',
            min_severity: 'critical',
            stabilize: '0s',
            cooldown: '1h',
            max_per_day: 3,
            cancel_on_resolve: true,
            rollback_on_failed_verify: false,
            count_manual: false,
          },
          verify: { timeout: '5m', checks: [] },
          preflight: { timeout: '5m', checks: [] },
        },
      },
      groups: {},
      chatops: { min_permission: 'write', teams: [], merge: true },
      freeze_file: '.github/failover.freeze',
    });
  });

  it('fills in check and probe defaults', () => {
    const config = parseConfig(
      `${MINIMAL}    verify:\n      checks:\n        - name: h\n          http: { url: "https://{target}/healthz" }\n        - name: d\n          dns: { name: x.example.com, expect: 192.0.2.1 }\n`,
    );
    const [http, dns] = config.services.checkout?.verify.checks ?? [];
    expect(http).toEqual({
      name: 'h',
      http: { url: 'https://{target}/healthz', method: 'GET', status: 200 },
      interval: '10s',
      successes: 1,
    });
    expect(dns?.dns).toEqual({ name: 'x.example.com', type: 'A', expect: '192.0.2.1' });
  });

  it('accepts the same config written as JSON (YAML is a superset)', () => {
    const json = JSON.stringify({
      $schema: '../schema/failover.schema.json',
      version: 1,
      services: { api: { targets: ['a', 'b'], state: { file: 's.yaml', key: 'api.active' } } },
    });
    expect(parseConfig(json).services.api?.state.key).toBe('api.active');
  });

  it('reads YAML 1.2: on/off/yes/no stay strings', () => {
    const config = parseConfig(`${MINIMAL}    automation:\n      on_alert: off\n`);
    expect(config.services.checkout?.automation.on_alert).toBe('off');
  });

  it('allows anchors and aliases used with restraint', () => {
    const text = `version: 1
services:
  a:
    targets: &regions [us-east-1, us-west-2]
    state: { file: s.json, key: a }
    verify: &checks
      checks:
        - name: h
          tcp: { host: "{target}.example.com", port: 443 }
  b:
    targets: *regions
    state: { file: s.json, key: b }
    verify: *checks
  c:
    targets: *regions
    state: { file: s.json, key: c }
    verify: *checks
`;
    const config = parseConfig(text);
    expect(config.services.c?.targets).toEqual(['us-east-1', 'us-west-2']);
    expect(config.services.c?.verify.checks[0]?.tcp?.port).toBe(443);
    expect(MAX_ALIAS_COUNT).toBeLessThanOrEqual(100);
  });

  it('accepts a weighted service with a baseline and a group of two', () => {
    const text = `version: 1
services:
  edge:
    mode: weighted
    targets: [a, b, c]
    weights: { a: 50, b: 30, c: 20 }
    state: { file: envs/prod/state.json, key: edge.weights }
  db:
    kind: database
    targets: [a, b]
    state: { file: envs/prod/state.json, key: db }
  api:
    targets: [b, a]
    state: { file: envs/prod/state.json, key: api }
groups:
  pay: [db, api]
`;
    const config = parseConfig(text);
    expect(config.services.edge?.weights).toEqual({ a: 50, b: 30, c: 20 });
    expect(config.groups.pay).toEqual(['db', 'api']);
  });

  it('accepts a document that starts with --- and ends with ...', () => {
    expect(parseConfig(`---\n${MINIMAL}...\n`).version).toBe(1);
  });
});

describe('parseConfig: robustness', () => {
  it('refuses pathological nesting with one plain message', () => {
    for (const text of ['['.repeat(100_000), '{'.repeat(60_000)]) {
      const err = errorOf(text);
      expect(err.issues).toHaveLength(1);
      expect(formatIssue(err.issues[0]!)).toMatch(
        /^\.github\/failover\.yml:1:\d+ the document is nested too deeply to be a failover config$/,
      );
    }
  });

  it(`reports at most ${MAX_ISSUES} problems, counting the rest`, () => {
    const services = Array.from({ length: 80 }, (_, i) => `  svc-${i}:\n    targets: [a]\n`).join('');
    const err = errorOf(`version: 1\nservices:\n${services}`);
    expect(err.issues).toHaveLength(MAX_ISSUES);
    expect(err.issues.at(-1)?.message).toBe(`... and ${160 - MAX_ISSUES + 1} more problems`);
  });

  it('throws only ConfigError for arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        try {
          parseConfig(text);
        } catch (err: unknown) {
          expect(err).toBeInstanceOf(ConfigError);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('throws only ConfigError for mutated valid configs', () => {
    const pieces = MINIMAL.split('\n');
    fc.assert(
      fc.property(
        fc.nat({ max: pieces.length - 1 }),
        fc.string({ maxLength: 20 }),
        fc.nat({ max: 40 }),
        (lineIndex, insert, at) => {
          const lines = [...pieces];
          const line = lines[lineIndex] ?? '';
          lines[lineIndex] = line.slice(0, at) + insert + line.slice(at);
          try {
            parseConfig(lines.join('\n'));
          } catch (err: unknown) {
            expect(err).toBeInstanceOf(ConfigError);
            for (const issue of (err as ConfigError).issues)
              expect(issue.line).toBeLessThanOrEqual(lines.length + 1);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
