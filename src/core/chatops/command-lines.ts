// Finds the lines of a comment that may hold a slash command, judged by Markdown's real block and
// inline structure (markdown-it, CommonMark, as GitHub renders comments): a command is plain text at the
// start of a line of a top-level paragraph. Nothing inside an HTML comment or block, a code span, a
// fenced or indented code block, a block quote or a list runs, wherever that construct opens: a hidden
// `Notes <!--` … `-->` around a command, or a quoted `/failover`, must never move traffic.
//
// How: every line that looks like a command (`/word` at most 3 spaces in) has its slash swapped for a
// unique private-use sentinel, the whole comment is parsed once, and a line counts only when its
// sentinel comes out as the first characters of a text token that starts a paragraph line. A
// private-use character means nothing to Markdown, so the swap leaves the structure as it was.
import MarkdownIt from 'markdown-it';

export interface CandidateLine {
  /** The command word without the slash, as typed (`failover`, `Failvoer`). */
  word: string;
  /** Everything after the command word on that line. */
  rest: string;
  /** The whole line, trimmed, for replies and audit. */
  line: string;
}

const COMMAND = /^ {0,3}\/([A-Za-z][A-Za-z0-9_-]*)(?=\s|$)(.*)$/s;
/** CommonMark's line endings; U+2028, U+2029 and NEL are not among them (see parse.ts). */
const LINE_END = /\r\n|\r|\n/;
/** Sentinels: private-use code points, one per candidate line, never one the comment itself holds. */
const SENTINEL_BASE = 0xf0000;
const SENTINEL_END = 0x10fffd;

const md = new MarkdownIt('commonmark', { html: true });
type Token = ReturnType<typeof md.parse>[number];
// Keep escapes and entities as their own tokens: `&#47;failover` or `\/failover` is not a typed command.
md.core.ruler.disable('text_join');

/** Every slash-command line that Markdown shows as plain paragraph text, in order. */
export function candidateLines(body: string): CandidateLine[] {
  const lines = body.split(LINE_END);
  const found = new Map<string, number>();
  let next = SENTINEL_BASE;
  const marked = lines.map((raw, i) => {
    if (!COMMAND.test(raw)) return raw;
    // A sentinel the comment already contains could be placed to fake a visible command: skip those.
    while (next <= SENTINEL_END && body.includes(String.fromCodePoint(next))) next++;
    if (next > SENTINEL_END) return raw;
    const sentinel = String.fromCodePoint(next++);
    found.set(sentinel, i);
    return raw.replace('/', sentinel);
  });
  if (found.size === 0) return [];
  const visible = visibleSentinels(md.parse(marked.join('\n'), {}), found);
  const out: CandidateLine[] = [];
  for (const [sentinel, i] of found) {
    if (!visible.has(sentinel)) continue;
    const m = COMMAND.exec(lines[i] ?? '');
    if (m) out.push({ word: m[1]!, rest: m[2]!, line: (lines[i] ?? '').trim() });
  }
  return out;
}

/** The sentinels that start a line of plain text in a paragraph at the top level of the document. */
function visibleSentinels(tokens: Token[], sentinels: Map<string, number>): Set<string> {
  const visible = new Set<string>();
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    // Containers (quotes, lists) change depth; only paragraphs directly in the document count.
    if (t.type === 'inline' && depth === 1 && tokens[i - 1]?.type === 'paragraph_open') {
      for (const s of lineStartSentinels(t.children ?? [], sentinels)) visible.add(s);
    }
    depth += t.nesting;
  }
  return visible;
}

function lineStartSentinels(children: Token[], sentinels: Map<string, number>): string[] {
  const out: string[] = [];
  let atLineStart = true;
  for (const child of children) {
    if (child.type === 'softbreak' || child.type === 'hardbreak') {
      atLineStart = true;
      continue;
    }
    if (atLineStart && child.type === 'text') {
      const first = String.fromCodePoint(child.content.codePointAt(0) ?? 0);
      if (sentinels.has(first)) out.push(first);
    }
    atLineStart = false;
  }
  return out;
}
