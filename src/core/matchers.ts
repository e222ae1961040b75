// Alertmanager matcher syntax: `name="value"`, `name!="value"`, `name=~"re"`, `name!~"re"`.
// Semantics follow Alertmanager so a route copied from alertmanager.yml behaves the same here:
// a missing label reads as the empty string, and regexes are fully anchored (^(?:re)$).
import { UserError } from './errors.js';

export const MATCH_OPS = ['=', '!=', '=~', '!~'] as const;
export type MatchOp = (typeof MATCH_OPS)[number];

export interface Matcher {
  name: string;
  op: MatchOp;
  value: string;
  /** Compiled, anchored regex for `=~` / `!~`. */
  regex?: RegExp;
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
    try {
      matcher.regex = new RegExp(`^(?:${value})$`);
    } catch (err: unknown) {
      const why = err instanceof Error ? err.message : String(err);
      throw new UserError(
        `invalid matcher ${JSON.stringify(text)}: bad regular expression (${why})`,
        'bad_matcher',
      );
    }
  }
  return matcher;
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

/** True when the labels satisfy this one matcher (a missing label is the empty string). */
export function matches(labels: Record<string, string>, m: Matcher): boolean {
  const v = labels[m.name] ?? '';
  switch (m.op) {
    case '=':
      return v === m.value;
    case '!=':
      return v !== m.value;
    case '=~':
      return (m.regex as RegExp).test(v);
    case '!~':
      return !(m.regex as RegExp).test(v);
  }
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
