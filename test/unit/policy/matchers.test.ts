import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors.js';
import { formatMatcher, labelValue, matchesAll, parseMatcher } from '../../../src/core/matchers.js';
import { hostileLabel, REDOS_REGEXES, WORST_REGEX } from '../../helpers/redos-regexes.js';

describe('parseMatcher', () => {
  it.each([
    ['alertname="RegionDown"', 'alertname', '=', 'RegionDown'],
    ['service!="billing"', 'service', '!=', 'billing'],
    ['service=~"checkout|all"', 'service', '=~', 'checkout|all'],
    ['env!~"dev.*"', 'env', '!~', 'dev.*'],
    ['alertname=RegionDown', 'alertname', '=', 'RegionDown'],
    ['  region = "us-east-1"  ', 'region', '=', 'us-east-1'],
    ['msg="say \\"hi\\""', 'msg', '=', 'say "hi"'],
    ['path=~"a\\.b"', 'path', '=~', 'a\\.b'],
    ['empty=""', 'empty', '=', ''],
  ])('%s', (text, name, op, value) => {
    const m = parseMatcher(text);
    expect(m).toMatchObject({ name, op, value });
  });

  it.each([
    ['RegionDown', /expected name="value"/],
    ['="x"', /expected name="value"/],
    ['1abc="x"', /expected name="value"/],
    ['a=~"("', /bad regular expression/],
    ['a="unterminated', /missing closing double quote/],
    ['a="x"y"', /unescaped double quote/],
    ['a=x,b', /put it in double quotes/],
    ['a="x\\"', /missing closing|dangling/],
  ])('rejects %s with a clear UserError', (text, message) => {
    expect(() => parseMatcher(text)).toThrow(UserError);
    expect(() => parseMatcher(text)).toThrow(message);
  });
});

describe('matchesAll', () => {
  const labels = { alertname: 'RegionDown', service: 'checkout', region: 'us-east-1' };
  it.each([
    [['alertname="RegionDown"'], true],
    [['alertname="RegionDownX"'], false],
    [['service=~"checkout|all"'], true],
    // anchored: a partial match is not a match
    [['service=~"check"'], false],
    [['service=~"check.*"'], true],
    [['service!~"check.*"'], false],
    [['service!="billing"'], true],
    [['service!="checkout"'], false],
    // a missing label is the empty string
    [['team=""'], true],
    [['team!=""'], false],
    [['team=~".*"'], true],
    [['team=~".+"'], false],
    [['alertname="RegionDown"', 'region=~"us-.*"'], true],
    [['alertname="RegionDown"', 'region=~"eu-.*"'], false],
    [[], true],
  ])('%j → %s', (texts, expected) => {
    expect(matchesAll(labels, texts.map(parseMatcher))).toBe(expected);
  });

  it('alternation is anchored as a whole group (^(?:a|b)$)', () => {
    const m = parseMatcher('service=~"all|checkout"');
    expect(matchesAll({ service: 'checkout-v2' }, [m])).toBe(false);
    expect(matchesAll({ service: 'xall' }, [m])).toBe(false);
  });
});

describe('formatMatcher', () => {
  it('round-trips any value', () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom('=', '!=') as fc.Arbitrary<'=' | '!='>, (value, op) => {
        const back = parseMatcher(formatMatcher({ name: 'x', op, value }));
        expect(back.value).toBe(value);
        expect(back.op).toBe(op);
      }),
    );
  });
});

describe('RE2 semantics (as Alertmanager)', () => {
  it.each([
    ['severity=~"(?i)CRIT.*"', { severity: 'critical' }, true],
    ['region=~"[[:alpha:]]+-[[:alpha:]]+-\\\\d"', { region: 'us-east-1' }, true],
    ['name=~"\\\\p{Greek}+"', { name: 'αβγ' }, true],
    ['name=~"\\\\p{Greek}+"', { name: 'abc' }, false],
    ['host=~"(?P<zone>[a-z]+)\\\\.example\\\\.com"', { host: 'eu.example.com' }, true],
    ['x=~"\\\\Qa.b\\\\E"', { x: 'a.b' }, true],
    ['x=~"\\\\Qa.b\\\\E"', { x: 'axb' }, false],
  ])('%s on %j → %s', (text, labels, expected) => {
    expect(matchesAll(labels, [parseMatcher(text)])).toBe(expected);
  });

  it.each([
    ['a=~"(x)\\\\1"', /backreferences .* Alertmanager uses RE2/],
    ['a=~"(?=x)x"', /lookarounds .* Alertmanager uses RE2/],
    ['a=~"(?!x)y"', /lookarounds/],
    ['a=~"(?<=x)y"', /lookarounds/],
    ['a=~"(?<!x)y"', /lookarounds/],
    ['a=~"x{1001}"', /bad regular expression \(.*repeat count/],
    ['a=~"\\\\Z"', /bad regular expression \(.*escape/],
  ])('refuses %s as Alertmanager does, with a clear error', (text, message) => {
    expect(() => parseMatcher(text)).toThrow(UserError);
    expect(() => parseMatcher(text)).toThrow(message);
  });

  it('labels are plain data: names on Object.prototype read as absent, hence as the empty string', () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']) {
      expect(matchesAll({}, [parseMatcher(`${name}=""`)])).toBe(true);
      expect(matchesAll({}, [parseMatcher(`${name}=~".+"`)])).toBe(false);
      expect(labelValue({}, name)).toBeUndefined();
    }
    const own = JSON.parse('{"__proto__":"x","constructor":"y"}') as Record<string, string>;
    expect(matchesAll(own, [parseMatcher('__proto__="x"'), parseMatcher('constructor="y"')])).toBe(true);
  });
});

describe('linear-time matching', () => {
  /** How many input bytes the engine reads to decide one label (a backtracking engine re-reads them). */
  function bytesRead(regexText: string, label: string): number {
    const regex = parseMatcher(`l=~${JSON.stringify(regexText)}`).regex!;
    let reads = 0;
    const bytes = new Proxy(Array.from(Buffer.from(label)), {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key, receiver);
      },
    });
    regex.testExact(bytes);
    return reads;
  }

  it('property: for every regex of the ReDoS table, work per label byte stays bounded as labels grow', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...REDOS_REGEXES),
        fc.integer({ min: 4, max: 2_000 }),
        fc.constantFrom('hostile', 'random'),
        fc.string({ minLength: 1, maxLength: 8 }),
        (regexText, length, shape, seed) => {
          const label =
            shape === 'hostile' ? hostileLabel(length) : seed.repeat(Math.ceil(length / seed.length));
          const size = Buffer.byteLength(label);
          // RE2 steps each byte once per pass (at most one extra pass to find the match boundaries).
          expect(bytesRead(regexText, label)).toBeLessThanOrEqual(2 * size + 8);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('scaling: 64x the label costs at most 64x the reads (plus a constant), for the worst regex', () => {
    const small = bytesRead(WORST_REGEX, hostileLabel(256));
    const large = bytesRead(WORST_REGEX, hostileLabel(256 * 64));
    expect(large).toBeLessThanOrEqual(64 * small + 64);
    // And the matcher itself answers (a backtracking engine would not return from this in any time).
    expect(matchesAll({ l: hostileLabel(256 * 64) }, [parseMatcher(`l=~"${WORST_REGEX}"`)])).toBe(false);
  });
});
