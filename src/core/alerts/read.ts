// Small readers for untrusted JSON. Every failure becomes a PayloadError whose message names the
// source and the exact place in the body ("alertmanager: alerts[2].labels must be an object, got an array"),
// because the person reading a 400 answer needs to know what to fix in their webhook config.
import { PayloadError } from '../errors.js';
import { parseTime } from './time.js';

export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Own properties only: a body without `constructor` must not read Object.prototype.constructor. */
export function own(record: JsonRecord, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return value === '' ? 'an empty string' : 'a string';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  return typeof value;
}

/** Short, bounded rendering of a value for error messages (never echoes a huge body back). */
export function preview(value: unknown): string {
  if (typeof value === 'string') {
    const cut = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return JSON.stringify(cut);
  }
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return describeType(value);
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

export function keyPath(base: string, key: string): string {
  const part = IDENTIFIER.test(key)
    ? key
    : `[${JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key)}]`;
  if (!base) return part;
  return part.startsWith('[') ? `${base}${part}` : `${base}.${part}`;
}

export function indexPath(base: string, index: number): string {
  return `${base}[${index}]`;
}

/** Reports problems for one source; `where` is the path inside the body, empty for the body itself. */
export class PayloadReader {
  constructor(readonly source: string) {}

  fail(where: string, problem: string): never {
    throw new PayloadError(`${this.source}: ${where || 'body'} ${problem}`, this.source);
  }

  record(value: unknown, where: string): JsonRecord {
    if (value === undefined) this.fail(where, 'is missing');
    if (!isRecord(value)) this.fail(where, `must be an object, got ${describeType(value)}`);
    return value;
  }

  array(value: unknown, where: string): unknown[] {
    if (value === undefined) this.fail(where, 'is missing');
    if (!Array.isArray(value)) this.fail(where, `must be an array, got ${describeType(value)}`);
    return value;
  }

  string(value: unknown, where: string): string {
    if (value === undefined) this.fail(where, 'is missing');
    if (typeof value !== 'string') this.fail(where, `must be a string, got ${describeType(value)}`);
    return value;
  }

  nonEmptyString(value: unknown, where: string): string {
    const text = this.string(value, where);
    if (text.trim() === '') this.fail(where, 'must not be empty');
    return text;
  }

  /** Absent, null and "" all mean "not given" (sources use all three). */
  optionalString(value: unknown, where: string): string | undefined {
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string') this.fail(where, `must be a string, got ${describeType(value)}`);
    return value;
  }

  /**
   * A map of string → string (labels, annotations). `scalars` also accepts numbers and booleans, for the
   * hand-written generic form. Built with fromEntries so a key like "__proto__" stays an ordinary key.
   */
  stringMap(
    value: unknown,
    where: string,
    opts: { optional?: boolean; scalars?: boolean } = {},
  ): Record<string, string> {
    if ((value === undefined || value === null) && opts.optional) return {};
    if (value === undefined) this.fail(where, 'is missing');
    const record = this.record(value, where);
    const entries: [string, string][] = [];
    for (const [key, item] of Object.entries(record)) {
      if (typeof item === 'string') entries.push([key, item]);
      else if (opts.scalars && (typeof item === 'number' || typeof item === 'boolean'))
        entries.push([key, String(item)]);
      else {
        const expected = opts.scalars ? 'a string, number or boolean' : 'a string';
        this.fail(keyPath(where, key), `must be ${expected}, got ${describeType(item)}`);
      }
    }
    return Object.fromEntries(entries);
  }

  /** A required start time, normalised to ISO UTC. */
  startTime(value: unknown, where: string): string {
    const text = this.string(value, where);
    const parsed = parseTime(text);
    if (parsed.kind === 'time') return parsed.iso;
    if (parsed.kind === 'zero') this.fail(where, 'is the zero time (0001-01-01), not a real start time');
    this.fail(where, `${parsed.why}, got ${preview(text)}`);
  }

  /** An optional end time; absent, null, "" and Go's zero time all mean "no end". */
  endTime(value: unknown, where: string): string | undefined {
    const text = this.optionalString(value, where);
    if (text === undefined) return undefined;
    const parsed = parseTime(text);
    if (parsed.kind === 'time') return parsed.iso;
    if (parsed.kind === 'zero') return undefined;
    this.fail(where, `${parsed.why}, got ${preview(text)}`);
  }

  status(value: unknown, where: string): 'firing' | 'resolved' {
    if (value === 'firing' || value === 'resolved') return value;
    if (value === undefined) this.fail(where, 'is missing');
    this.fail(where, `must be "firing" or "resolved", got ${preview(value)}`);
  }
}

/** Adds a key only when it is not already there (source fields never get overwritten by derived ones). */
export function addIfAbsent(target: Record<string, string>, key: string, value: string | undefined): void {
  if (value === undefined || value === '' || Object.hasOwn(target, key)) return;
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
