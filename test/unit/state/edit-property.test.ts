// Property: for random documents, layouts and key paths, editState changes exactly the value at the key
// (the re-parsed result equals the old document with that one value replaced) and its diff applies.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { editState } from '../../../src/core/state/index.js';
import { kindOf, withValueAt } from '../../../src/core/state/key-path.js';
import { applyPatch } from './apply-patch.js';

const keyName = fc.stringMatching(/^[a-z0-9_-]{1,8}$/);
const finiteNumber = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)),
);
const scalar = fc.oneof(fc.string(), finiteNumber, fc.boolean(), fc.constant(null));

const { doc } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    tie('doc'),
    fc.array(scalar, { maxLength: 3 }),
  ),
  doc: fc.dictionary(keyName, tie('value'), { minKeys: 1, maxKeys: 5 }),
}));

type Json = unknown;

/** Every path (as segments) from the root to a value reachable through objects. */
function objectPaths(value: Json, prefix: string[] = []): string[][] {
  if (kindOf(value) !== 'object') return [];
  return Object.entries(value as Record<string, Json>).flatMap(([k, v]) => [
    [...prefix, k],
    ...objectPaths(v, [...prefix, k]),
  ]);
}

function valueAt(root: Json, path: string[]): Json {
  return path.reduce<Json>((v, k) => (v as Record<string, Json>)[k], root);
}

/** A replacement value of the same kind as the old one (null may become anything). */
function sameKind(old: Json): fc.Arbitrary<Json> {
  switch (kindOf(old)) {
    case 'string':
      return fc.string();
    case 'number':
      return finiteNumber;
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(scalar, { maxLength: 4 });
    case 'object':
      return fc.dictionary(keyName, scalar, { maxKeys: 4 });
    default:
      return scalar;
  }
}

const layout = fc.record({
  indent: fc.constantFrom<string | number>(0, 2, 4, '\t'),
  crlf: fc.boolean(),
  trailingNewline: fc.boolean(),
});

const scenario = doc.chain((root) => {
  const paths = objectPaths(root);
  return fc
    .record({
      root: fc.constant(root),
      path: fc.constantFrom(...paths),
      layout,
    })
    .chain((s) => fc.record({ ...fcConst(s), value: sameKind(valueAt(s.root, s.path)) }));
});

function fcConst<T extends Record<string, unknown>>(obj: T): { [K in keyof T]: fc.Arbitrary<T[K]> } {
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, fc.constant(v)])) as {
    [K in keyof T]: fc.Arbitrary<T[K]>;
  };
}

describe('editState property', () => {
  it('JSON: only the value at the key changes, and the diff applies', () => {
    fc.assert(
      fc.property(scenario, ({ root, path, layout: l, value }) => {
        let text = JSON.stringify(root, null, l.indent);
        if (l.crlf) text = text.replaceAll('\n', '\r\n');
        if (l.trailingNewline) text += l.crlf ? '\r\n' : '\n';
        const edit = editState('envs/prod/state.tfvars.json', text, path.join('.'), value);
        expect(JSON.parse(edit.newText)).toEqual(withValueAt(JSON.parse(text), path, value));
        expect(applyPatch(text, edit.diff)).toBe(edit.newText);
        // Line endings and the trailing newline are the file's own.
        expect(edit.newText.endsWith('\n')).toBe(l.trailingNewline);
        if (!l.crlf) expect(edit.newText).not.toContain('\r\n');
      }),
      { numRuns: 300 },
    );
  });

  it('YAML: only the value at the key changes, and the diff applies', () => {
    fc.assert(
      fc.property(scenario, ({ root, path, value }) => {
        const text = `# header comment\n${stringifyYaml(root)}# footer comment\n`;
        const edit = editState('state.yaml', text, path.join('.'), value);
        expect(parseYaml(edit.newText)).toEqual(withValueAt(parseYaml(text), path, value));
        expect(applyPatch(text, edit.diff)).toBe(edit.newText);
        expect(edit.newText.startsWith('# header comment\n')).toBe(true);
        expect(edit.newText.endsWith('# footer comment\n')).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
