import { describe, expect, it } from 'vitest';
import { editState, readStateValue } from '../../../src/core/state/index.js';
import { applyPatch } from './apply-patch.js';

/** Edits, then checks the exact expected bytes and that the diff turns old into new. */
function roundTrip(path: string, oldText: string, key: string, value: unknown, expected: string) {
  const edit = editState(path, oldText, key, value);
  expect(edit.newText).toBe(expected);
  expect(edit.path).toBe(path);
  expect(edit.oldText).toBe(oldText);
  expect(applyPatch(oldText, edit.diff)).toBe(expected);
  expect(readStateValue(path, edit.newText, key)).toEqual(value);
  return edit;
}

describe('editState on JSON: only the value changes', () => {
  const cases: { name: string; text: string; key: string; value: unknown; expected: string }[] = [
    {
      name: '2-space indent',
      text: '{\n  "checkout_active_region": "us-east-1",\n  "other": true\n}\n',
      key: 'checkout_active_region',
      value: 'us-west-2',
      expected: '{\n  "checkout_active_region": "us-west-2",\n  "other": true\n}\n',
    },
    {
      name: '4-space indent, nested dotted key',
      text: '{\n    "checkout": {\n        "active_region": "us-east-1",\n        "x": [1, 2]\n    }\n}\n',
      key: 'checkout.active_region',
      value: 'us-west-2',
      expected:
        '{\n    "checkout": {\n        "active_region": "us-west-2",\n        "x": [1, 2]\n    }\n}\n',
    },
    {
      name: 'tabs',
      text: '{\n\t"a": {\n\t\t"region": "eu-west-1"\n\t},\n\t"b": 1\n}\n',
      key: 'a.region',
      value: 'eu-central-1',
      expected: '{\n\t"a": {\n\t\t"region": "eu-central-1"\n\t},\n\t"b": 1\n}\n',
    },
    {
      name: 'minified',
      text: '{"a":{"region":"x"},"b":[1,2,{"c":null}]}',
      key: 'a.region',
      value: 'y',
      expected: '{"a":{"region":"y"},"b":[1,2,{"c":null}]}',
    },
    {
      name: 'CRLF line endings',
      text: '{\r\n  "region": "us-east-1",\r\n  "n": 1\r\n}\r\n',
      key: 'region',
      value: 'us-west-2',
      expected: '{\r\n  "region": "us-west-2",\r\n  "n": 1\r\n}\r\n',
    },
    {
      name: 'no trailing newline',
      text: '{\n  "region": "us-east-1"\n}',
      key: 'region',
      value: 'us-west-2',
      expected: '{\n  "region": "us-west-2"\n}',
    },
    {
      name: 'keys with dashes, odd spacing kept',
      text: '{ "api-gw" :{ "active-target" : "blue" } , "z":0 }\n',
      key: 'api-gw.active-target',
      value: 'green',
      expected: '{ "api-gw" :{ "active-target" : "green" } , "z":0 }\n',
    },
    {
      name: 'neighbour with escapes and 1.0 untouched',
      text: '{\n  "note": "caf\\u00e9 \\"x\\"",\n  "ratio": 1.0,\n  "region": "a"\n}\n',
      key: 'region',
      value: 'b',
      expected: '{\n  "note": "caf\\u00e9 \\"x\\"",\n  "ratio": 1.0,\n  "region": "b"\n}\n',
    },
    {
      name: 'number and boolean values',
      text: '{"replicas": 3, "enabled": false}',
      key: 'replicas',
      value: 5,
      expected: '{"replicas": 5, "enabled": false}',
    },
    {
      name: 'array index segment',
      text: '{"regions": ["a", "b"]}',
      key: 'regions.1',
      value: 'c',
      expected: '{"regions": ["a", "c"]}',
    },
    {
      name: 'BOM kept',
      text: '\uFEFF{"region": "a"}\n',
      key: 'region',
      value: 'b',
      expected: '\uFEFF{"region": "b"}\n',
    },
    {
      name: 'string needing escapes',
      text: '{"note": "x"}',
      key: 'note',
      value: 'say "hi"\n',
      expected: '{"note": "say \\"hi\\"\\n"}',
    },
    {
      name: 'null placeholder becomes a string',
      text: '{\n  "region": null\n}\n',
      key: 'region',
      value: 'us-east-1',
      expected: '{\n  "region": "us-east-1"\n}\n',
    },
  ];
  it.each(cases)('$name', ({ text, key, value, expected }) => {
    roundTrip('envs/prod/state.json', text, key, value, expected);
  });

  it('edits a .tfvars.json file like JSON', () => {
    const text = '{\n  "checkout_active_region": "us-east-1",\n  "payments_active_region": "us-east-1"\n}\n';
    const edit = roundTrip(
      'envs/prod/failover.auto.tfvars.json',
      text,
      'payments_active_region',
      'us-west-2',
      '{\n  "checkout_active_region": "us-east-1",\n  "payments_active_region": "us-west-2"\n}\n',
    );
    expect(edit.diff).toBe(
      [
        '--- a/envs/prod/failover.auto.tfvars.json',
        '+++ b/envs/prod/failover.auto.tfvars.json',
        '@@ -1,4 +1,4 @@',
        ' {',
        '   "checkout_active_region": "us-east-1",',
        '-  "payments_active_region": "us-east-1"',
        '+  "payments_active_region": "us-west-2"',
        ' }',
        '',
      ].join('\n'),
    );
  });

  it('an unchanged value gives identical text and an empty diff', () => {
    const text = '{ "region": "a" }';
    const edit = editState('s.json', text, 'region', 'a');
    expect(edit.newText).toBe(text);
    expect(edit.diff).toBe('');
  });
});

describe('editState on JSON weighted objects', () => {
  it('inline object with the same keys: only the numbers change', () => {
    roundTrip(
      'w.tfvars.json',
      '{\n  "checkout_weights": { "us-east-1": 50, "us-west-2": 50 },\n  "x": 1\n}\n',
      'checkout_weights',
      { 'us-east-1': 0, 'us-west-2': 100 },
      '{\n  "checkout_weights": { "us-east-1": 0, "us-west-2": 100 },\n  "x": 1\n}\n',
    );
  });

  it('multi-line object keeps its layout, CRLF and key order even when given keys in another order', () => {
    roundTrip(
      'w.json',
      '{\r\n    "w": {\r\n        "b": 50,\r\n        "a": 50\r\n    }\r\n}',
      'w',
      { a: 100, b: 0 },
      '{\r\n    "w": {\r\n        "b": 0,\r\n        "a": 100\r\n    }\r\n}',
    );
  });

  it('a weight that does not change keeps its spelling (50.0 stays)', () => {
    roundTrip(
      'w.json',
      '{"w": {"a": 50.0, "b": 50, "c": 0}}',
      'w',
      { a: 50, b: 0, c: 50 },
      '{"w": {"a": 50.0, "b": 0, "c": 50}}',
    );
  });

  it('different keys: a multi-line object is rewritten multi-line in the file style (tabs)', () => {
    roundTrip(
      'w.json',
      '{\n\t"w": {\n\t\t"a": 100\n\t},\n\t"z": 1\n}\n',
      'w',
      { a: 0, b: 100 },
      '{\n\t"w": {\n\t\t"a": 0,\n\t\t"b": 100\n\t},\n\t"z": 1\n}\n',
    );
  });

  it('different keys: an inline object stays inline with its spacing', () => {
    roundTrip(
      'w.json',
      '{\n  "w": { "a": 100 }\n}\n',
      'w',
      { a: 0, b: 100 },
      '{\n  "w": { "a": 0, "b": 100 }\n}\n',
    );
  });

  it('different keys in a minified file stay minified', () => {
    roundTrip('w.json', '{"w":{"a":1,"b":2},"x":2}', 'w', { b: 2, c: 3 }, '{"w":{"b":2,"c":3},"x":2}');
  });
});
