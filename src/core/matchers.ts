// Alertmanager matcher syntax: `name="value"`, `name!="value"`, `name=~"re"`, `name!~"re"`.
// Semantics follow Alertmanager so a route copied from alertmanager.yml behaves the same here:
// a missing label reads as the empty string, and regexes are fully anchored (^(?:re)$) and use RE2
// syntax, matched in linear time by re2js (the JS port of RE2). JavaScript's RegExp backtracks: a regex
// that is harmless in Alertmanager, `([a-z]+-?)*`, would freeze the bot on a 32-character label.
import { RE2JS } from 're2js';
import { UserError } from './errors.js';

export const MATCH_OPS = ['=', '!=', '=~', '!~'] as const;
export type MatchOp = (typeof MATCH_OPS)[number];

export interface Matcher {
  name: string;
  op: MatchOp;
  value: string;
  /** Compiled, anchored RE2 regex for `=~` / `!~`. */
  regex?: RE2JS;
  /** Decides a label value for `=~` / `!~` (true: the regex matches the whole value). */
  test?: (value: string) => boolean;
  /** The matcher as written, for messages and traces. */
  text: string;
}

// Label name (Prometheus classic names), optional spaces, operator, optional spaces, value.
// The operator alternatives are ordered so `=~` wins over `=` and `!=`/`!~` are tried as pairs.
const MATCHER = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*(.*?)\s*$/s;

/** Parses one matcher; throws UserError saying what is wrong and how to write it. */
export function parseMatcher(text: string): Matcher {
  const m = MATCHER.exec(text);
  if (!m) {
    throw new UserError(
      `invalid matcher ${JSON.stringify(text)}: expected name="value", name!="value", name=~"regex" or name!~"regex"`,
      'bad_matcher',
    );
  }
  const [, name = '', op = '=', raw = ''] = m;
  const value = unquote(raw, text);
  const matcher: Matcher = { name, op: op as MatchOp, value, text: text.trim() };
  if (op === '=~' || op === '!~') {
    matcher.regex = compileRe2(value, text);
    matcher.test = regexTest(value, matcher.regex);
  }
  return matcher;
}

/**
 * The anchored RE2 program for a matcher's regex. RE2 (like Alertmanager's Go regexp) has no
 * backreferences or lookarounds; saying so beats RE2's terse parser message.
 */
function compileRe2(value: string, whole: string): RE2JS {
  const unsupported = /\\[1-9]/.test(value)
    ? 'backreferences (\\1 …) are not supported: Alertmanager uses RE2, which has none'
    : /\(\?<?[=!]/.test(value)
      ? 'lookarounds ((?=…), (?!…), (?<=…), (?<!…)) are not supported: Alertmanager uses RE2, which has none'
      : undefined;
  try {
    return RE2JS.compile(`^(?:${value})$`);
  } catch (err: unknown) {
    const why = unsupported ?? (err instanceof Error ? err.message : String(err));
    throw new UserError(
      `invalid matcher ${JSON.stringify(whole)}: bad regular expression (${why})`,
      'bad_matcher',
    );
  }
}

/** Only literal text and `|`: an alternation of exact strings, decided by set membership. */
const LITERAL_ALTERNATION = /^[A-Za-z0-9_ ,:/=@-]*(?:\|[A-Za-z0-9_ ,:/=@-]*)*$/;
const MEMO_VALUE_LIMIT = 256;
const MEMO_ENTRIES = 512;

/**
 * How a regex matcher decides a value. Routes are mostly literal alternations (`checkout|all`): a set
 * answers those exactly as RE2 would. Other regexes run on RE2 in linear time, and short values, which
 * repeat across a storm's alerts, keep their answer in a small bounded memo.
 */
function regexTest(value: string, regex: RE2JS): (v: string) => boolean {
  if (LITERAL_ALTERNATION.test(value)) {
    const accepted = new Set(value.split('|'));
    return (v) => accepted.has(v);
  }
  const memo = new Map<string, boolean>();
  return (v) => {
    if (v.length > MEMO_VALUE_LIMIT) return regex.testExact(v);
    const known = memo.get(v);
    if (known !== undefined) return known;
    const answer = regex.testExact(v);
    if (memo.size >= MEMO_ENTRIES) memo.clear();
    memo.set(v, answer);
    return answer;
  };
}

function unquote(raw: string, whole: string): string {
  if (!raw.startsWith('"')) {
    // Unquoted values: Alertmanager accepts them when they contain no quote, comma or brace.
    if (/["{},]/.test(raw)) {
      throw new UserError(
        `invalid matcher ${JSON.stringify(whole)}: unquoted value ${JSON.stringify(raw)} contains a quote, comma or brace; put it in double quotes`,
        'bad_matcher',
      );
    }
    return raw;
  }
  if (raw.length < 2 || !raw.endsWith('"')) {
    throw new UserError(
      `invalid matcher ${JSON.stringify(whole)}: missing closing double quote`,
      'bad_matcher',
    );
  }
  let out = '';
  const body = raw.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === '"') {
      throw new UserError(
        `invalid matcher ${JSON.stringify(whole)}: unescaped double quote inside the value`,
        'bad_matcher',
      );
    }
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = body[++i];
    if (next === undefined) {
      throw new UserError(
        `invalid matcher ${JSON.stringify(whole)}: dangling backslash at the end`,
        'bad_matcher',
      );
    }
    // Go-style escapes as Alertmanager accepts them; anything else keeps its backslash so regex
    // escapes such as \d or \. survive unchanged.
    if (next === 'n') out += '\n';
    else if (next === 't') out += '\t';
    else if (next === '"' || next === '\\') out += next;
    else out += `\\${next}`;
  }
  return out;
}

/**
 * A label's value, read as plain data: only the object's own string properties count, so a label name
 * such as `constructor` or `__proto__` never reaches Object.prototype. Undefined when absent.
 */
export function labelValue(labels: Record<string, string>, name: string): string | undefined {
  if (!Object.hasOwn(labels, name)) return undefined;
  const value: unknown = labels[name];
  return typeof value === 'string' ? value : undefined;
}

/** True when the labels satisfy this one matcher (a missing label is the empty string). */
export function matches(labels: Record<string, string>, m: Matcher): boolean {
  const v = labelValue(labels, m.name) ?? '';
  switch (m.op) {
    case '=':
      return v === m.value;
    case '!=':
      return v !== m.value;
    case '=~':
      return regexMatches(m, v);
    case '!~':
      return !regexMatches(m, v);
  }
}

function regexMatches(m: Matcher, v: string): boolean {
  if (m.test) return m.test(v);
  return m.regex ? m.regex.testExact(v) : false;
}

/** True when every matcher matches (an empty list matches everything, as in Alertmanager). */
export function matchesAll(labels: Record<string, string>, matchers: Matcher[]): boolean {
  for (const m of matchers) if (!matches(labels, m)) return false;
  return true;
}

/** Renders a matcher back to canonical text (`name="value"` with escapes). */
export function formatMatcher(m: Pick<Matcher, 'name' | 'op' | 'value'>): string {
  const escaped = m.value
    .replace(/\\(?=["\\nt]|$)/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n');
  return `${m.name}${m.op}"${escaped}"`;
}
