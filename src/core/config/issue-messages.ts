// Plain-English messages for zod issues found in a config file. zod's own defaults ("Invalid input:
// expected string, received number") are written for developers; an SRE editing YAML at 3 a.m. should
// read what to write instead, and a "did you mean" when a key or value is one typo away.
import type { z } from 'zod';

type RawIssue = Parameters<z.core.$ZodErrorMap>[0];

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping (key: value)',
  record: 'a mapping (key: value)',
  map: 'a mapping (key: value)',
  array: 'a list',
  null: 'empty',
};

/** The error map handed to safeParse; schema-level messages still win over it. */
export const configErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = TYPE_WORDS[issue.expected] ?? issue.expected;
      if (issue.input === undefined) return 'is required';
      if (issue.input === null) return `is empty; it must be ${expected}`;
      return `must be ${expected}, not ${describeValue(issue.input)}`;
    }
    case 'invalid_value': {
      const allowed = issue.values.map((v) => JSON.stringify(v));
      const hint = typeof issue.input === 'string' ? didYouMean(issue.input, issue.values.map(String)) : '';
      return allowed.length === 1
        ? `must be ${allowed[0]}${hint}`
        : `must be one of ${allowed.join(', ')}${hint}`;
    }
    case 'too_small':
      return tooSmall(issue);
    case 'too_big':
      return tooBig(issue);
    case 'invalid_format':
      return issue.format === 'regex' && 'pattern' in issue
        ? `must match ${String(issue.pattern)}`
        : `must be a valid ${issue.format}`;
    case 'invalid_union':
      return `must be ${unionAlternatives(issue as RawIssue & { errors?: RawIssue[][] })}`;
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    default:
      return undefined;
  }
};

function tooSmall(issue: RawIssue & { code: 'too_small' }): string {
  const min = Number(issue.minimum);
  switch (issue.origin) {
    case 'array':
    case 'set':
      return `needs at least ${min} item${min === 1 ? '' : 's'}`;
    case 'string':
      return min <= 1 ? 'must not be empty' : `must be at least ${min} characters long`;
    default:
      return issue.inclusive === false ? `must be more than ${min}` : `must be at least ${min}`;
  }
}

function tooBig(issue: RawIssue & { code: 'too_big' }): string {
  const max = Number(issue.maximum);
  switch (issue.origin) {
    case 'array':
    case 'set':
      return `may have at most ${max} item${max === 1 ? '' : 's'}`;
    case 'string':
      return `must be at most ${max} characters long`;
    default:
      return issue.inclusive === false ? `must be less than ${max}` : `must be at most ${max}`;
  }
}

/** "a number or a list": what each branch of a union expected, from its first issue. */
function unionAlternatives(issue: { errors?: RawIssue[][] }): string {
  const words = new Set<string>();
  for (const branch of issue.errors ?? []) {
    const first = branch[0];
    if (first?.code === 'invalid_type') words.add(TYPE_WORDS[first.expected] ?? first.expected);
    else if (first?.code === 'invalid_value') {
      for (const v of first.values) words.add(JSON.stringify(v));
    }
  }
  return words.size > 0 ? [...words].join(' or ') : 'one of the allowed forms';
}

/** Short rendering of a value for "must be X, not Y". */
export function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'empty';
  switch (typeof value) {
    case 'string':
      return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
    case 'number':
    case 'boolean':
      return String(value);
    case 'object':
      return 'a mapping';
    default:
      return typeof value;
  }
}

/** True for values worth quoting in front of a "must ..." message. */
export function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** ` (did you mean "x"?)` when one candidate is a small edit away, else ''. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  const lower = word.toLowerCase();
  for (const candidate of candidates) {
    const d = editDistance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const allowed = Math.max(1, Math.floor(word.length / 3));
  return best !== undefined && bestDistance <= Math.min(allowed, 3) ? ` (did you mean "${best}"?)` : '';
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
