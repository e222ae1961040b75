// Markdown helpers shared by the renderers, and the one place outside text is made inert.
import { redactPatterns } from '../redact.js';

/** How much of one piece of outside input (a label value, a reason, a failure) is echoed back. */
export const ECHO_LIMIT = 300;
/** A failure the Action reports (terraform's error, a probe's answer) keeps more of its text. */
export const FAILURE_ECHO_LIMIT = 2_000;

/** Outside input cut to `max` characters (code points are not split), saying that it was cut. */
export function capEcho(text: string, max = ECHO_LIMIT): string {
  if (text.length <= max) return text;
  const cut = Array.from(text.slice(0, max + 1))
    .slice(0, -1)
    .join('')
    .slice(0, max);
  return `${cut}… (${text.length - cut.length} more characters)`;
}

const ZWSP = '\u200b';

/**
 * Text from outside (alert labels and annotations, a `--reason`, a failure message) made inert for a PR
 * body, comment or summary: it cannot write HTML or any of the product's hidden markers (`<`, `>` and
 * `&` become entities), cannot @-mention anyone (a zero-width space after `@`), cannot show an image or
 * a link (`[`, `]` escaped; `://` and `www.` broken so GitHub does not autolink), cannot open code
 * spans; it is one line, and at most `max` characters of the input are kept.
 */
export function inert(text: string, max = ECHO_LIMIT): string {
  // Secrets go first: once `://` and `=` are broken up for Markdown, a later redaction cannot see them.
  return capEcho(redactPatterns(text), max)
    .replace(/\r\n|[\r\n\u2028\u2029\u0085]/g, ' ')
    .replace(/\\/g, '\\\\')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[[\]`*_~]/g, (c) => `\\${c}`)
    .replace(/@/g, `@${ZWSP}`)
    .replace(/:\/\//g, `:${ZWSP}//`)
    .replace(/\bwww\./gi, (w) => `${w.slice(0, 3)}${ZWSP}.`);
}

/** A value safe inside a markdown table cell: inert, and no pipe breaks the row. */
export function cell(text: string, max = ECHO_LIMIT): string {
  return inert(text, max).replace(/\|/g, '\\|');
}

/**
 * Inline code that survives backticks inside the value. Markdown shows code literally, but the body's
 * raw text is what the bot searches for its markers, so `<` before `!` gets a zero-width space:
 * no value in a code span can spell `<!-- gitops-failover`.
 */
export function code(text: string): string {
  const safe = text.replace(/<(?=!)/g, `<${ZWSP}`);
  const longest = Math.max(0, ...[...safe.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  const pad = safe.startsWith('`') || safe.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${safe}${pad}${ticks}`;
}

/** A fenced block whose fence is longer than any backtick run inside, so the content cannot close it. */
export function fenced(lang: string, text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`{3,}/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${lang}\n${text.endsWith('\n') ? text : `${text}\n`}${fence}`;
}

/**
 * A link target from an alert's own generator or runbook URL: http(s) only, serialised by the URL
 * parser (which percent-encodes `<`, `>`, quotes and spaces), with parentheses encoded too so the
 * Markdown link cannot be closed early. Undefined for anything else.
 */
export function safeHref(url: string | undefined): string | undefined {
  if (!url) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  if (parsed.username || parsed.password) return undefined;
  // encodeURIComponent leaves ( and ) alone: percent-encode them by hand.
  const href = parsed.href.replace(
    /[()\s|]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
  return href.length <= 2_000 ? href : undefined;
}
