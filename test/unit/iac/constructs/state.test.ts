// readFailoverState: typed synth-time access to the config and state files the bot edits, with a clear
// error naming the file and key for every way they can be wrong. And the point of it all: flipping the
// flag with the bot's own state editor changes exactly the expected record properties, nothing else.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Construct } from 'constructs';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../src/core/errors.js';
import { drain } from '../../../../src/core/policy/weights.js';
import { editState } from '../../../../src/core/state/index.js';
import {
  ActivePassiveDnsRecord,
  FailoverSynthError,
  readFailoverState,
  WeightedDnsRecords,
} from '../../../../src/iac/constructs/index.js';
import { checkoutEndpoints, edgeEndpoints, type Resources, synth } from './synth.js';

const EXAMPLE = join(dirname(fileURLToPath(import.meta.url)), '../../../../examples/cdktn-infra');
const STATE = 'state/failover.json';

const repos: string[] = [];
afterEach(() => {
  for (const dir of repos.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the example's config and state in a temp dir, optionally with the state replaced. */
function repo(state?: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'failover-cdktn-state-'));
  repos.push(dir);
  cpSync(join(EXAMPLE, '.github'), join(dir, '.github'), { recursive: true });
  cpSync(join(EXAMPLE, 'state'), join(dir, 'state'), { recursive: true });
  if (state !== undefined) writeFileSync(join(dir, STATE), `${JSON.stringify(state, null, 2)}\n`);
  return dir;
}

const goodState = {
  checkout_active_region: 'us-east-1',
  edge_gateway_weights: { 'us-east-1': 50, 'us-west-2': 30, 'eu-west-1': 20 },
};

describe('readFailoverState', () => {
  it('gives each service its typed flag, read through the core schema and state readers', () => {
    const state = readFailoverState(repo());
    expect(state.services).toEqual(['checkout', 'edge-gateway']);
    expect(state.activePassive('checkout')).toEqual({
      mode: 'active-passive',
      service: 'checkout',
      file: STATE,
      key: 'checkout_active_region',
      targets: ['us-east-1', 'us-west-2'],
      active: 'us-east-1',
    });
    expect(state.weighted('edge-gateway')).toEqual({
      mode: 'weighted',
      service: 'edge-gateway',
      file: STATE,
      key: 'edge_gateway_weights',
      targets: ['us-east-1', 'us-west-2', 'eu-west-1'],
      weights: { 'us-east-1': 50, 'us-west-2': 30, 'eu-west-1': 20 },
    });
    expect(state.config.services.checkout?.verify.timeout).toBe('5m');
    expect(state.configFile).toBe('.github/failover.yml');
  });

  it('reads a YAML state file at a dotted key, and a config at another path', () => {
    const dir = repo();
    const config = readFileSync(join(dir, '.github/failover.yml'), 'utf8')
      .replaceAll('file: state/failover.json', 'file: state/failover.yaml')
      .replace('key: checkout_active_region', 'key: checkout.active_region');
    writeFileSync(join(dir, 'failover-policy.yml'), config);
    writeFileSync(
      join(dir, 'state/failover.yaml'),
      'checkout:\n  active_region: us-west-2 # flipped by the bot\nedge_gateway_weights: { us-east-1: 50, us-west-2: 30, eu-west-1: 20 }\n',
    );
    const state = readFailoverState(dir, { config: 'failover-policy.yml' });
    expect(state.activePassive('checkout').active).toBe('us-west-2');
    expect(state.activePassive('checkout').file).toBe('state/failover.yaml');
  });

  const bad: [string, unknown, string][] = [
    [
      'a flag naming an unknown target',
      { ...goodState, checkout_active_region: 'eu-central-1' },
      'state/failover.json: key "checkout_active_region" holds "eu-central-1", which is not a target of service "checkout" (targets: us-east-1, us-west-2)',
    ],
    [
      'a flag that is not a string',
      { ...goodState, checkout_active_region: 1 },
      'state/failover.json: key "checkout_active_region" holds 1, which is not a target of service "checkout"',
    ],
    [
      'weights naming an unknown target',
      { ...goodState, edge_gateway_weights: { 'us-east-1': 50, 'us-west-2': 30, 'ap-south-1': 20 } },
      'state/failover.json: key "edge_gateway_weights" is not a valid weights map for service "edge-gateway": unknown target "ap-south-1"',
    ],
    [
      'weights that do not add up',
      { ...goodState, edge_gateway_weights: { 'us-east-1': 50, 'us-west-2': 30, 'eu-west-1': 0 } },
      'state/failover.json: key "edge_gateway_weights" is not a valid weights map for service "edge-gateway": weights sum to 80, configured 100',
    ],
    [
      'a missing key',
      { edge_gateway_weights: goodState.edge_gateway_weights },
      '(key "checkout_active_region" of service "checkout")',
    ],
  ];

  it.each(bad)('refuses %s, naming the file and key', (_what, state, message) => {
    const dir = repo(state);
    expect(() => readFailoverState(dir)).toThrow(FailoverSynthError);
    expect(() => readFailoverState(dir)).toThrow(message);
  });

  it('refuses a missing state file, naming it and the service', () => {
    const dir = repo();
    rmSync(join(dir, STATE));
    expect(() => readFailoverState(dir)).toThrow(
      `state/failover.json: the state file of service "checkout" does not exist under ${dir}`,
    );
  });

  it('refuses a missing config and reports a broken one at FILE:LINE:COL', () => {
    const dir = repo();
    expect(() => readFailoverState(dir, { config: 'nope.yml' })).toThrow(
      `nope.yml: the failover config does not exist under ${dir}`,
    );
    writeFileSync(
      join(dir, '.github/failover.yml'),
      'version: 1\nservices:\n  checkout:\n    targets: us-east-1\n',
    );
    expect(() => readFailoverState(dir)).toThrow(ConfigError);
    expect(() => readFailoverState(dir)).toThrow(/^\.github\/failover\.yml:\d+:\d+ /);
  });

  it('refuses a config path outside the repository', () => {
    expect(() => readFailoverState(repo(), { config: '../outside.yml' })).toThrow(
      '../outside.yml: the failover config must be inside the repository',
    );
  });

  it('says which accessor fits a service of the other mode, and lists services for an unknown one', () => {
    const state = readFailoverState(repo());
    expect(() => state.activePassive('edge-gateway')).toThrow(
      '.github/failover.yml: service "edge-gateway" is mode weighted; use weighted("edge-gateway") and WeightedDnsRecords',
    );
    expect(() => state.weighted('checkout')).toThrow(
      '.github/failover.yml: service "checkout" is mode active-passive; use activePassive("checkout") and ActivePassiveDnsRecord',
    );
    expect(() => state.flag('search')).toThrow(
      '.github/failover.yml: no service "search" (configured: checkout, edge-gateway)',
    );
  });
});

/** Both services' records, built from the repo's state as a stack would at synth time. */
function recordsOf(dir: string): Resources {
  return synth((scope: Construct) => {
    const state = readFailoverState(dir);
    new ActivePassiveDnsRecord(scope, 'checkout', {
      flag: state.activePassive('checkout'),
      zoneId: 'Z0123456789ABC',
      recordName: 'checkout.example.com',
      endpoints: checkoutEndpoints(),
    });
    new WeightedDnsRecords(scope, 'edge', {
      flag: state.weighted('edge-gateway'),
      zoneId: 'Z0123456789ABC',
      recordName: 'edge.example.com',
      endpoints: edgeEndpoints(),
    });
  }).resources;
}

/** Every leaf of the resource tree as `type.name.path = value`, for a property-level diff. */
function leaves(value: unknown, path: string, out: Map<string, string>): Map<string, string> {
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) leaves(v, path ? `${path}.${k}` : k, out);
  } else {
    out.set(path, JSON.stringify(value));
  }
  return out;
}

function diff(before: Resources, after: Resources): string[] {
  const a = leaves(before, '', new Map());
  const b = leaves(after, '', new Map());
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort();
  return keys.filter((k) => a.get(k) !== b.get(k)).map((k) => `${k}: ${a.get(k)} -> ${b.get(k)}`);
}

function flip(dir: string, key: string, value: unknown): void {
  const path = join(dir, STATE);
  writeFileSync(path, editState(STATE, readFileSync(path, 'utf8'), key, value).newText);
}

describe('flipping the flag the way the bot does', () => {
  it('swaps PRIMARY and SECONDARY of the two checkout records and changes nothing else', () => {
    const dir = repo();
    const before = recordsOf(dir);
    flip(dir, 'checkout_active_region', 'us-west-2');
    const changes = diff(before, recordsOf(dir));
    expect(changes).toHaveLength(2);
    expect(changes[0]).toMatch(
      /^aws_route53_record\.checkout_record-us-east-1_[0-9A-F]+\.failover_routing_policy\.type: "PRIMARY" -> "SECONDARY"$/,
    );
    expect(changes[1]).toMatch(
      /^aws_route53_record\.checkout_record-us-west-2_[0-9A-F]+\.failover_routing_policy\.type: "SECONDARY" -> "PRIMARY"$/,
    );
  });

  it('moves only the weights when us-east-1 is drained, keeping its record at 0', () => {
    const dir = repo();
    const before = recordsOf(dir);
    const baseline = { 'us-east-1': 50, 'us-west-2': 30, 'eu-west-1': 20 };
    const drained = drain(baseline, 'us-east-1', ['us-west-2', 'eu-west-1'], baseline);
    expect(drained).toEqual({ 'us-east-1': 0, 'us-west-2': 60, 'eu-west-1': 40 });
    flip(dir, 'edge_gateway_weights', drained);
    const changes = diff(before, recordsOf(dir)).map((c) => c.replace(/_[0-9A-F]{8}\./, '.'));
    expect(changes).toEqual([
      'aws_route53_record.edge_record-eu-west-1.weighted_routing_policy.weight: 20 -> 40',
      'aws_route53_record.edge_record-us-east-1.weighted_routing_policy.weight: 50 -> 0',
      'aws_route53_record.edge_record-us-west-2.weighted_routing_policy.weight: 30 -> 60',
    ]);
  });
});
