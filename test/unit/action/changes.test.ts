// src/core/changes.ts: which services a commit range flips, and which targets then carry traffic.
import { describe, expect, it } from 'vitest';
import { activeTarget, changedServices, servingTargets } from '../../../src/core/changes.js';
import { parseConfig } from '../../../src/core/config/load.js';

const config = parseConfig(`version: 1
services:
  api:
    targets: [a, b]
    state: { file: s.json, key: api }
  db:
    targets: [a, b]
    state: { file: db.yaml, key: primary.region }
  gw:
    targets: [a, b, c]
    mode: weighted
    weights: { a: 50, b: 50, c: 0 }
    state: { file: s.json, key: gw }
`);
const snap = (files: Record<string, string>) => (path: string) => files[path];

describe('changedServices', () => {
  it('reports only flags whose value changed, in config order, with from/to', () => {
    const before = snap({
      's.json': '{"api":"a","gw":{"a":50,"b":50,"c":0}}',
      'db.yaml': 'primary:\n  region: a\n',
    });
    const after = snap({
      's.json': '{"api":"b","gw":{"a":0,"b":40,"c":60}}',
      'db.yaml': 'primary:\n  region: a\n',
    });
    expect(
      changedServices(config, before, after).map(({ service, from, to }) => ({ service, from, to })),
    ).toEqual([
      { service: 'api', from: 'a', to: 'b' },
      { service: 'gw', from: 'a', to: 'c' },
    ]);
    expect(changedServices(config, before, after, ['gw']).map((c) => c.service)).toEqual(['gw']);
  });

  it('a file that is new counts as a change from (none); a file that is gone is no change', () => {
    const after = snap({ 'db.yaml': 'primary:\n  region: b\n' });
    expect(changedServices(config, snap({}), after)).toMatchObject([
      { service: 'db', from: '(none)', to: 'b' },
    ]);
    expect(changedServices(config, after, snap({}))).toEqual([]);
  });

  it('reformatting the file without changing a value is no change', () => {
    const before = snap({ 's.json': '{"api":"a","gw":{"a":1,"b":0,"c":0}}' });
    const after = snap({ 's.json': '{\n  "api": "a",\n  "gw": { "a": 1, "b": 0, "c": 0 }\n}\n' });
    expect(changedServices(config, before, after)).toEqual([]);
  });

  it('a new state that does not parse, or lacks the key, throws a StateFileError naming the file', () => {
    expect(() => changedServices(config, snap({}), snap({ 's.json': '{"api":' }))).toThrow(/^s\.json: /);
    expect(() => changedServices(config, snap({}), snap({ 's.json': '{"api":"a"}' }))).toThrow(
      /^s\.json: key "gw" not found/,
    );
  });

  it('an old state that is broken or lacks the key counts as no value (history does not block an apply)', () => {
    const after = snap({ 's.json': '{"api":"b","gw":{"a":1,"b":0,"c":0}}' });
    const broken = snap({ 's.json': '{"api":' });
    const keyless = snap({ 's.json': '{"api":"b"}' });
    expect(changedServices(config, broken, after).map((c) => c.from)).toEqual(['(none)', '(none)']);
    expect(changedServices(config, keyless, after)).toMatchObject([
      { service: 'gw', from: '(none)', to: 'a' },
    ]);
  });
});

describe('activeTarget and servingTargets', () => {
  const gw = config.services.gw!;
  it('weighted: the heaviest target is active (ties to the primary); every weight above 0 serves', () => {
    expect(activeTarget(gw, { a: 50, b: 50, c: 0 })).toBe('a');
    expect(activeTarget(gw, { a: 10, b: 20, c: 70 })).toBe('c');
    expect(servingTargets(gw, { a: 0, b: 40, c: 60 })).toEqual(['b', 'c']);
    expect(servingTargets(gw, 'not-an-object')).toEqual([]);
  });
  it('active-passive: the value is the one serving target', () => {
    expect(servingTargets(config.services.api!, 'b')).toEqual(['b']);
  });
});
