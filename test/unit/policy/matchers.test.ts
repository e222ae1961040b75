import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors.js';
import { formatMatcher, matchesAll, parseMatcher } from '../../../src/core/matchers.js';

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
