// Conditions, JSON paths and {target} substitution: the small grammars checks are written in.
import { describe, expect, it } from 'vitest';
import { checkSchema } from '../../../src/core/config/schema.js';
import { UserError } from '../../../src/core/errors.js';
import { parseCondition, satisfies } from '../../../src/verify/condition.js';
import { parseJsonPath, readJsonPath } from '../../../src/verify/json-path.js';
import { substituteTarget } from '../../../src/verify/substitute.js';

describe('parseCondition / satisfies', () => {
  it.each([
    ['< 5', 4.9, true],
    ['< 5', 5, false],
    ['<= 5', 5, true],
    ['> 0', 0, false],
    ['>= 1', 1, true],
    ['== 0', 0, true],
    ['== 0', -0, true],
    ['!= 0', 2, true],
    ['!=0', 0, false],
    ['  >=  -1.5 ', -1.5, true],
    ['< 5', Number.POSITIVE_INFINITY, false],
    ['> 5', Number.POSITIVE_INFINITY, true],
  ])('%s with %d → %s', (text, value, expected) => {
    expect(satisfies(value, parseCondition(text))).toBe(expected);
  });

  it('never lets NaN satisfy anything, not even !=', () => {
    for (const text of ['< 5', '> 5', '== 0', '!= 0', '>= 0', '<= 0']) {
      expect(satisfies(Number.NaN, parseCondition(text))).toBe(false);
    }
  });

  it('canonicalises the text and rejects what is not a comparison', () => {
    expect(parseCondition('>=1')).toEqual({ op: '>=', threshold: 1, text: '>= 1' });
    for (const bad of ['5', '=< 5', '< five', '< 5 or > 9', '']) {
      expect(() => parseCondition(bad)).toThrow(UserError);
    }
  });
});

describe('JSON paths', () => {
  const doc = {
    status: 'ok',
    checks: { db: { ok: true } },
    items: [{ n: 1 }, { n: 2 }],
    'a.b': { c: 3 },
    nil: null,
  };

  it.each([
    ['status', 'ok'],
    ['$.status', 'ok'],
    ['checks.db.ok', true],
    ['items[1].n', 2],
    ['items[0]["n"]', 1],
    ["['a.b'].c", 3],
    ['$["a.b"]["c"]', 3],
    ['nil', null],
  ])('%s', (path, value) => {
    expect(readJsonPath(doc, parseJsonPath(path))).toEqual({ found: true, value });
  });

  it('reports missing values without throwing', () => {
    for (const path of ['nope', 'items[5].n', 'status.length', 'nil.x', 'checks.db.ok.deeper', 'items.n']) {
      expect(readJsonPath(doc, parseJsonPath(path)).found).toBe(false);
    }
  });

  it('does not read inherited properties', () => {
    expect(readJsonPath({}, parseJsonPath('constructor')).found).toBe(false);
  });

  it('rejects paths it cannot read with a message naming the rest', () => {
    expect(() => parseJsonPath('a..b')).toThrow(/cannot read "..b"/);
    expect(() => parseJsonPath('items[-1]')).toThrow(UserError);
    expect(() => parseJsonPath('$')).toThrow(/empty/);
  });
});

describe('substituteTarget', () => {
  it('replaces {target} in every string field, including nested and listed ones', () => {
    const check = checkSchema.parse({
      name: 'dns-{target}',
      dns: {
        name: '{target}.example.com',
        expect: ['{target}-a.lb', '{target}-b.lb'],
        resolver: '10.0.0.53',
      },
    });
    const out = substituteTarget(check, 'us-west-2');
    expect(out.name).toBe('dns-us-west-2');
    expect(out.dns).toEqual({
      name: 'us-west-2.example.com',
      type: 'A',
      expect: ['us-west-2-a.lb', 'us-west-2-b.lb'],
      resolver: '10.0.0.53',
    });
    expect(out.successes).toBe(1);
    expect(check.name).toBe('dns-{target}'); // the input is not modified
  });

  it('replaces every occurrence, in header values too, and treats $ in the target literally', () => {
    const check = checkSchema.parse({
      name: 'h',
      http: {
        url: 'https://{target}.x/{target}',
        headers: { 'X-Region': '{target}' },
        json: { path: 'r', equals: '{target}' },
      },
    });
    const out = substituteTarget(check, 'eu$&1');
    expect(out.http?.url).toBe('https://eu$&1.x/eu$&1');
    expect(out.http?.headers).toEqual({ 'X-Region': 'eu$&1' });
    expect(out.http?.json?.equals).toBe('eu$&1');
  });
});
