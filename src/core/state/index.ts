// Desired-state files (JSON, .tfvars.json, YAML): read the value at a dotted key, and change only that
// value, byte-for-byte everywhere else. Every edit is re-parsed and compared with "the old document with
// only this key changed" before it is returned: the safety invariant "nothing else in it changed".
import { describeThrown, StateFileError } from '../errors.js';
import type { FileEdit } from '../types.js';
import { editJson, readJson } from './json-edit.js';
import { nodeValue, scanJson } from './json-scan.js';
import { assertSameKind, assertWritable, deepEqual, splitKey, withValueAt } from './key-path.js';
import { unifiedDiff } from './unified-diff.js';
import { editYaml, readYaml, yamlValue } from './yaml-edit.js';

export { unifiedDiff } from './unified-diff.js';

export type StateFormat = 'json' | 'yaml';

/** The format follows the file name: `.json` (which covers `.tfvars.json`), `.yaml` or `.yml`. */
export function stateFormat(path: string): StateFormat {
  const lower = path.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  throw new StateFileError(
    'is not a .json, .tfvars.json, .yaml or .yml file, so it cannot be edited safely',
    path,
  );
}

/**
 * The whole document's value, read exactly as readStateValue and editState read it (a UTF-8 BOM,
 * duplicate keys and the YAML alias limit handled the same way): the safety check compares with this.
 */
export function stateDocument(path: string, text: string): unknown {
  return stateFormat(path) === 'json' ? nodeValue(scanJson(path, text)) : yamlValue(path, text);
}

export function readStateValue(path: string, text: string, key: string): unknown {
  const format = stateFormat(path);
  const segments = splitKey(path, key);
  return format === 'json' ? readJson(path, text, key, segments) : readYaml(path, text, key, segments);
}

export function editState(path: string, oldText: string, key: string, value: unknown): FileEdit {
  const format = stateFormat(path);
  const segments = splitKey(path, key);
  assertWritable(path, key, value);
  const edit =
    format === 'json'
      ? editJson(path, oldText, key, segments, value)
      : editYaml(path, oldText, key, segments, value);
  assertSameKind(path, key, edit.oldValue, value);

  const expected = withValueAt(edit.oldRoot, segments, value);
  let actual: unknown;
  try {
    actual = format === 'json' ? nodeValue(scanJson(path, edit.newText)) : yamlValue(path, edit.newText);
  } catch (err: unknown) {
    throw new StateFileError(
      `editing "${key}" would leave a file that does not parse (${describeThrown(err)}); nothing was changed`,
      path,
    );
  }
  if (!deepEqual(actual, expected)) {
    throw new StateFileError(
      `editing "${key}" would change more than that key (or not write it as asked); nothing was changed`,
      path,
    );
  }
  return { path, oldText, newText: edit.newText, diff: unifiedDiff(path, oldText, edit.newText) };
}
