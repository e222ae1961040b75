import { describe, expect, it } from 'vitest';
import { StateFileError } from '../../../src/core/errors.js';
import { editState, readStateValue, stateFormat, unifiedDiff } from '../../../src/core/state/index.js';
import { applyPatch } from './apply-patch.js';

describe('JSON refusals are StateFileErrors that say what and where', () => {
  const cases: {
    name: string;
    path?: string;
    text: string;
    key: string;
    value?: unknown;
    message: RegExp;
  }[] = [
    {
      name: 'trailing comma',
      text: '{\n  "a": 1,\n}',
      key: 'a',
      message: /line 3, column 1: unexpected "}"/,
    },
    { name: 'unterminated string', text: '{"a": "x}', key: 'a', message: /line 1, column 7: unterminated/ },
    {
      name: 'garbage after the document',
      text: '{"a": 1} x',
      key: 'a',
      message: /after the end of the document/,
    },
    { name: 'single quotes', text: "{'a': 1}", key: 'a', message: /expected a key in double quotes/ },
    { name: 'empty file', text: '', key: 'a', message: /unexpected end of file/ },
    {
      name: 'duplicate key',
      text: '{\n"a": 1,\n"a": 2\n}',
      key: 'a',
      message: /line 3, column 1: duplicate key "a" \(first at line 2/,
    },
    {
      name: 'duplicate key deep inside',
      text: '{"a": 1, "b": {"c": 1, "c": 2}}',
      key: 'a',
      message: /duplicate key "c"/,
    },
    {
      name: 'missing top-level key',
      text: '{"a": 1}',
      key: 'b',
      message: /key "b" not found: no "b" in the top level/,
    },
    { name: 'missing nested segment', text: '{"a": {"b": 1}}', key: 'a.x.y', message: /no "x" in "a"/ },
    {
      name: 'segment through a string',
      text: '{"a": "s"}',
      key: 'a.b',
      message: /"a" is a string, so it has no "b"/,
    },
    {
      name: 'array index out of range',
      text: '{"a": [1]}',
      key: 'a.3',
      message: /"a" is an array without an item "3"/,
    },
    {
      name: 'string → object',
      text: '{"a": "s"}',
      key: 'a',
      value: { x: 1 },
      message: /is a string, refusing to write an object/,
    },
    {
      name: 'object → string',
      text: '{"a": {"x": 1}}',
      key: 'a',
      value: 'us',
      message: /is an object, refusing to write a string/,
    },
    { name: 'NaN is not JSON', text: '{"a": 1}', key: 'a', value: Number.NaN, message: /cannot write NaN/ },
    {
      name: 'undefined is not JSON',
      text: '{"a": 1}',
      key: 'a',
      value: undefined,
      message: /cannot write undefined/,
    },
    {
      name: 'a Date is not JSON',
      text: '{"a": "x"}',
      key: 'a',
      value: new Date(0),
      message: /instance of Date/,
    },
    { name: 'bad key syntax', text: '{"a": 1}', key: 'a..b', message: /not a dotted path/ },
    { name: 'key with a slash', text: '{"a": 1}', key: 'a/b', message: /bad segment "a\/b"/ },
    {
      name: 'not JSON or YAML',
      path: 'envs/prod/main.tfvars',
      text: 'a = 1',
      key: 'a',
      message: /is not a \.json, \.tfvars\.json/,
    },
    {
      name: 'hostile nesting',
      text: `${'['.repeat(400)}${']'.repeat(400)}`,
      key: 'a',
      message: /nesting deeper than/,
    },
  ];
  it.each(cases)('$name', (c) => {
    const { path = 'envs/prod/state.json', text, key, message } = c;
    let thrown: unknown;
    try {
      editState(path, text, key, 'value' in c ? c.value : 'x');
    } catch (err: unknown) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(StateFileError);
    expect((thrown as StateFileError).file).toBe(path);
    expect((thrown as Error).message).toMatch(message);
    expect((thrown as Error).message.startsWith(`${path}: `)).toBe(true);
  });

  it('readStateValue raises the same errors', () => {
    // Every refusal that is not about the value being written.
    for (const c of cases.filter((c) => !('value' in c))) {
      const path = c.path ?? 'envs/prod/state.json';
      expect(() => readStateValue(path, c.text, c.key), c.name).toThrow(StateFileError);
      expect(() => readStateValue(path, c.text, c.key), c.name).toThrow(c.message);
    }
    expect(() => readStateValue('s.json', '{"a": 1}', 'b')).toThrow(StateFileError);
    expect(readStateValue('s.json', '{"a": {"b": [1, {"c": "x"}]}}', 'a.b.1.c')).toBe('x');
    expect(readStateValue('s.yml', 'a:\n  b: [1, 2]\n', 'a.b')).toEqual([1, 2]);
  });

  it('a "__proto__" key is plain data, never a prototype', () => {
    const edit = editState('s.json', '{"__proto__": {"a": 1}}', '__proto__.a', 2);
    expect(edit.newText).toBe('{"__proto__": {"a": 2}}');
    expect(({} as Record<string, unknown>).a).toBeUndefined();
  });

  it('stateFormat follows the extension, case-insensitively', () => {
    expect(stateFormat('x.tfvars.json')).toBe('json');
    expect(stateFormat('X.YML')).toBe('yaml');
    expect(stateFormat('a.yaml')).toBe('yaml');
    expect(() => stateFormat('a.toml')).toThrow(StateFileError);
  });
});

describe('unifiedDiff', () => {
  it('nothing changed → empty string', () => {
    expect(unifiedDiff('a', 'x\n', 'x\n')).toBe('');
  });

  it('3 lines of context and separate hunks for distant changes', () => {
    const old = `${Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join('\n')}\n`;
    const next = old.replace('line 2\n', 'LINE 2\n').replace('line 18\n', 'LINE 18\n');
    const diff = unifiedDiff('f.txt', old, next);
    expect(diff).toBe(
      [
        '--- a/f.txt',
        '+++ b/f.txt',
        '@@ -1,5 +1,5 @@',
        ' line 1',
        '-line 2',
        '+LINE 2',
        ' line 3',
        ' line 4',
        ' line 5',
        '@@ -15,6 +15,6 @@',
        ' line 15',
        ' line 16',
        ' line 17',
        '-line 18',
        '+LINE 18',
        ' line 19',
        ' line 20',
        '',
      ].join('\n'),
    );
    expect(applyPatch(old, diff)).toBe(next);
  });

  it('changes 6 lines apart share one hunk', () => {
    const old = 'a\nb\nc\nd\ne\nf\ng\nh\n';
    const next = 'A\nb\nc\nd\ne\nf\nG\nh\n';
    const diff = unifiedDiff('f', old, next);
    expect(diff.match(/^@@/gm)).toHaveLength(1);
    expect(applyPatch(old, diff)).toBe(next);
  });

  it('marks a missing newline at end of file on either side', () => {
    expect(unifiedDiff('f', 'a\nb', 'a\nb\n')).toBe(
      '--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n',
    );
    expect(unifiedDiff('f', 'a\n', 'a\nb')).toBe(
      '--- a/f\n+++ b/f\n@@ -1 +1,2 @@\n a\n+b\n\\ No newline at end of file\n',
    );
  });

  it('from and to an empty file', () => {
    expect(unifiedDiff('f', '', 'a\n')).toBe('--- a/f\n+++ b/f\n@@ -0,0 +1 @@\n+a\n');
    expect(unifiedDiff('f', 'a\n', '')).toBe('--- a/f\n+++ b/f\n@@ -1 +0,0 @@\n-a\n');
    expect(applyPatch('', unifiedDiff('f', '', 'a\nb\n'))).toBe('a\nb\n');
  });

  it('insertions and deletions in the middle line up (LCS)', () => {
    const old = 'a\nb\nc\nd\ne\n';
    const next = 'a\nc\nX\nd\ne\nf\n';
    const diff = unifiedDiff('f', old, next);
    expect(diff).toContain('-b\n');
    expect(diff).toContain('+X\n');
    expect(diff).not.toContain('-c\n');
    expect(applyPatch(old, diff)).toBe(next);
  });

  it('CRLF lines carry their carriage returns', () => {
    const diff = unifiedDiff('f', 'a\r\nb\r\n', 'a\r\nc\r\n');
    expect(diff).toContain('-b\r\n+c\r\n');
    expect(applyPatch('a\r\nb\r\n', diff)).toBe('a\r\nc\r\n');
  });
});
