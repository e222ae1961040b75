// Reads a YAML document against a zod schema with every problem located at FILE:LINE:COL: the machinery
// behind `.github/failover.yml` (load.ts) and the `failover test` scenario files. Pure: text in, data or
// a ConfigError listing every problem out.
import { type Document, isCollection, LineCounter, parseAllDocuments, visit, type YAMLError } from 'yaml';
import type { z } from 'zod';
import { ConfigError, type ConfigIssue } from '../errors.js';
import { configErrorMap, didYouMean, isScalar } from './issue-messages.js';
import { knownKeysAt } from './schema-keys.js';
import { formatPath, locate, type PathSegment, positionOf } from './yaml-locate.js';

/** Issues reported at most; the rest are counted in the last line. */
export const MAX_ISSUES = 50;

export interface YamlLimits {
  /** Anything larger is refused before parsing. */
  maxBytes: number;
  /** Alias expansions allowed (beyond: a "billion laughs" bomb). */
  maxAliasCount: number;
  /** What the file is, for the empty-file message: `"version: 1" and "services:"`. */
  needs: string;
  /** What the document is, in words: `a failover config`. */
  what: string;
  /** Its short name: `config`. */
  noun: string;
}

/** A parsed document: its plain data and what is needed to locate a path inside it. */
export interface LocatedDocument {
  data: unknown;
  doc: Document;
  lineCounter: LineCounter;
  file: string;
}

/** Parses one YAML document; throws ConfigError for size, syntax, duplicate keys, complex keys, aliases. */
export function readYamlDocument(text: string, file: string, limits: YamlLimits): LocatedDocument {
  const fail = (message: string, line = 1, column = 1): never => failAt(file, message, line, column);
  // Cheap length test first: only long texts pay for encoding.
  const bytes = text.length * 3 > limits.maxBytes ? new TextEncoder().encode(text).length : text.length;
  if (bytes > limits.maxBytes) {
    fail(
      `the file is ${Math.ceil(bytes / 1024)} KiB; ${limits.what} may be at most ${Math.floor(limits.maxBytes / 1024)} KiB`,
    );
  }

  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
    strict: true,
    version: '1.2',
  });
  const docs = Array.isArray(documents) ? documents : [];
  const doc = docs[0];
  if (!doc || doc.contents === null) return fail(`the file is empty; it needs at least ${limits.needs}`);
  const second = docs[1];
  if (second) {
    const at = positionOf(lineCounter, second.range[0]);
    fail(
      `the file holds more than one YAML document (---); put the whole ${limits.noun} in one document`,
      at.line,
      at.column,
    );
  }

  const problems = [...doc.errors, ...doc.warnings];
  // Pathological nesting makes the parser run out of stack; say so once, in words.
  const overflow = problems.find((e) => /call stack|stack overflow/i.test(e.message));
  if (overflow) {
    const at = positionOf(lineCounter, overflow.pos[0]);
    fail(`the document is nested too deeply to be ${limits.what}`, at.line, at.column);
  }
  const syntax = problems.map((e) => yamlIssue(e, file, lineCounter, text));
  if (syntax.length > 0) throw new ConfigError(capIssues(syntax));
  const complexKeys = collectionKeys(doc, file, lineCounter);
  if (complexKeys.length > 0) throw new ConfigError(capIssues(complexKeys));

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: limits.maxAliasCount });
  } catch (err: unknown) {
    // The yaml package signals alias explosions with a ReferenceError; anything else is also unusable.
    fail(
      err instanceof ReferenceError
        ? `too many alias (*name) expansions; refusing to load it (anchors may be reused at most ${limits.maxAliasCount} times)`
        : `the document cannot be read: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  if (data === null || data === undefined) fail(`the file is empty; it needs at least ${limits.needs}`);
  return { data, doc, lineCounter, file };
}

/** Validates the document's data with `schema`; throws ConfigError with every problem located. */
export function validateDocument<S extends z.ZodType>(located: LocatedDocument, schema: S): z.output<S> {
  const parsed = schema.safeParse(located.data, { error: configErrorMap, reportInput: true });
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.flatMap((i) => zodIssues(i, located, schema));
  throw new ConfigError(capIssues(sortIssues(issues)));
}

/** One problem at a path of the document (at the key itself with `atKey`). */
export function issueAt(
  located: LocatedDocument,
  path: readonly PathSegment[],
  message: string,
  atKey = false,
): ConfigIssue {
  const { offset } = locate(located.doc, path, atKey);
  const { line, column } = positionOf(located.lineCounter, offset);
  return { file: located.file, line, column, path: formatPath(path), message };
}

function failAt(file: string, message: string, line = 1, column = 1): never {
  throw new ConfigError([{ file, line, column, path: '', message }]);
}

function zodIssues(issue: z.core.$ZodIssue, located: LocatedDocument, schema: z.ZodType): ConfigIssue[] {
  const path = issue.path.filter((s): s is PathSegment => typeof s !== 'symbol');
  const at = (p: readonly PathSegment[], atKey: boolean, message: string) =>
    issueAt(located, p, message, atKey);

  if (issue.code === 'unrecognized_keys') {
    const known = knownKeysAt(schema, path);
    return issue.keys.map((key) => {
      const hint = didYouMean(key, known);
      const list = known.length > 0 && !hint ? ` (allowed: ${known.join(', ')})` : '';
      return at([...path, key], true, `unknown key "${key}"${hint}${list}`);
    });
  }
  if (issue.code === 'invalid_key') {
    // A record key (service or group name) is wrong: point at the key, quote it.
    const inner = issue.issues[0]?.message ?? 'is not an allowed name';
    return [at(path, true, withValue(inner, path[path.length - 1]))];
  }
  // A missing key reaches even schema-specific messages ("must be 1"); say plainly that it is missing.
  const missing =
    issue.input === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_value');
  const message = missing ? 'is required' : withValue(issue.message, issue.input);
  // Refinements that name a key (`"eu-west-1" is not one of the targets`) are about the key, not its value.
  const last = path[path.length - 1];
  const aboutKey =
    typeof last === 'string' && issue.code === 'custom' && message.startsWith(JSON.stringify(last));
  return [at(path, aboutKey, message)];
}

/** `must be lowercase ...` → `"us west 2" must be lowercase ...`, so the reader sees the culprit. */
function withValue(message: string, input: unknown): string {
  if (!message.startsWith('must ') || !isScalar(input)) return message;
  const shown = JSON.stringify(input);
  return message.includes(shown) ? message : `${shown} ${message}`;
}

function yamlIssue(error: YAMLError, file: string, lc: LineCounter, text: string): ConfigIssue {
  const { line, column } = positionOf(lc, error.pos[0]);
  return { file, line, column, path: '', message: yamlMessage(error, text) };
}

function yamlMessage(error: YAMLError, text: string): string {
  const snippet = text.slice(error.pos[0], error.pos[1]).split('\n')[0]?.trim();
  switch (error.code) {
    case 'DUPLICATE_KEY': {
      const key =
        text
          .slice(error.pos[0])
          .match(/^["']?([^"':\n]*)/)?.[1]
          ?.trim() || snippet;
      return `duplicate key "${key}": each key may appear only once in a mapping`;
    }
    case 'TAB_AS_INDENT':
      return 'tabs are not allowed for indentation in YAML; use spaces';
    case 'TAG_RESOLVE_FAILED':
      return `${error.message.replace(/^Unresolved tag/, 'unknown YAML tag')}; custom tags are not allowed`;
    default: {
      const text = error.message.replace(/\s+at line \d+, column \d+.*$/s, '').trim();
      return `YAML syntax: ${text.charAt(0).toLowerCase()}${text.slice(1)}`;
    }
  }
}

/** `? [a, b]: x` is legal YAML, but a key is always plain text (and JS would stringify it). */
function collectionKeys(doc: Document, file: string, lc: LineCounter): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  visit(doc, {
    Pair(_, pair) {
      if (!isCollection(pair.key)) return;
      const { line, column } = positionOf(lc, pair.key.range?.[0] ?? 0);
      issues.push({
        file,
        line,
        column,
        path: '',
        message: 'a key must be plain text, not a list or mapping',
      });
    },
  });
  return issues;
}

/** A broken file can yield thousands of issues (deep nesting); the first ones are the useful ones. */
export function capIssues(issues: ConfigIssue[]): ConfigIssue[] {
  if (issues.length <= MAX_ISSUES) return issues;
  const last = issues[MAX_ISSUES - 1] as ConfigIssue;
  const more = issues.length - MAX_ISSUES + 1;
  return [
    ...issues.slice(0, MAX_ISSUES - 1),
    { ...last, path: '', message: `... and ${more} more problems` },
  ];
}

function sortIssues(issues: ConfigIssue[]): ConfigIssue[] {
  return issues.sort((a, b) => a.line - b.line || a.column - b.column);
}
