// Dotted keys (`checkout.active_region`) and the small value algebra the editors share: kinds, deep
// equality and "the old document with only this key changed", which is what the safety check compares to.
import { StateFileError } from '../errors.js';

export type ValueKind = 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array';

const SEGMENT = /^[A-Za-z0-9_-]+$/;

/** Splits a dotted key; every segment must be a plain name (the config schema enforces the same). */
export function splitKey(file: string, key: string): string[] {
  const segments = key.split('.');
  const bad = segments.find((s) => !SEGMENT.test(s));
  if (bad !== undefined) {
    throw new StateFileError(
      `key "${key}" is not a dotted path of names (bad segment "${bad}"); use letters, digits, '_' or '-'`,
      file,
    );
  }
  return segments;
}

export function kindOf(value: unknown): ValueKind | undefined {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'number':
      return Number.isFinite(value) ? 'number' : undefined;
    case 'boolean':
      return 'boolean';
    case 'object':
      return isPlainObject(value) ? 'object' : undefined;
    default:
      return undefined;
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Refuses values that cannot be written faithfully (undefined, NaN, functions, class instances), at any
 * depth, so a bad caller cannot put "undefined" or "[object Object]" into production state.
 */
export function assertWritable(file: string, key: string, value: unknown, where = key): void {
  const kind = kindOf(value);
  if (kind === undefined) {
    throw new StateFileError(
      `cannot write ${describeValue(value)} at ${where}: only JSON values are allowed`,
      file,
    );
  }
  if (kind === 'array') {
    for (const [i, v] of (value as unknown[]).entries()) assertWritable(file, key, v, `${where}[${i}]`);
  }
  if (kind === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>))
      assertWritable(file, key, v, `${where}.${k}`);
  }
}

function describeValue(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'object' && value !== null)
    return `an instance of ${value.constructor?.name ?? 'object'}`;
  return typeof value;
}

/**
 * The old kind decides what may be written: a region name stays a string, a weights map stays a map.
 * `null` is the one placeholder that may become anything (a file seeded before the first failover).
 */
export function assertSameKind(file: string, key: string, oldValue: unknown, newValue: unknown): void {
  const oldKind = kindOf(oldValue);
  const newKind = kindOf(newValue);
  if (oldKind === 'null' || oldKind === newKind) return;
  throw new StateFileError(
    `value at "${key}" is ${article(oldKind)}, refusing to write ${article(newKind)}`,
    file,
  );
}

export function article(kind: ValueKind | undefined): string {
  if (kind === undefined) return 'an unsupported value';
  return kind === 'object' || kind === 'array' ? `an ${kind}` : `a ${kind}`;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const ka = Object.keys(ra);
  const kb = Object.keys(rb);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(rb, k) && deepEqual(ra[k], rb[k]));
}

/** A structural copy of `root` with the value at `segments` replaced; the original is not touched. */
export function withValueAt(root: unknown, segments: readonly string[], value: unknown): unknown {
  const [head, ...rest] = segments;
  if (head === undefined) return value;
  if (Array.isArray(root)) {
    const copy = [...root];
    copy[Number(head)] = withValueAt(copy[Number(head)], rest, value);
    return copy;
  }
  const copy: Record<string, unknown> = { ...(root as Record<string, unknown>) };
  // defineProperty: a segment named "__proto__" must stay a data key.
  Object.defineProperty(copy, head, {
    value: withValueAt(copy[head], rest, value),
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return copy;
}

/** The message for a segment that does not resolve: which segment, and what was there instead. */
export function missingSegmentMessage(
  key: string,
  segments: readonly string[],
  index: number,
  parent: string,
): string {
  const seg = segments[index];
  const at = index === 0 ? 'the top level' : `"${segments.slice(0, index).join('.')}"`;
  if (parent === 'object') return `key "${key}" not found: no "${seg}" in ${at}`;
  if (parent === 'array') return `key "${key}" not found: ${at} is an array without an item "${seg}"`;
  return `key "${key}" not found: ${at} is ${parent}, so it has no "${seg}"`;
}
