// Finds the lines of a comment that may hold a slash command: at the start of a line (at most 3 spaces
// in, as in Markdown), outside fenced and indented code, block quotes and HTML comments. Quoting someone
// else's `/failover` in a reply, or pasting one in a code block, must never run it.

export interface CandidateLine {
  /** The command word without the slash, as typed (`failover`, `Failvoer`). */
  word: string;
  /** Everything after the command word on that line. */
  rest: string;
  /** The whole line, trimmed, for replies and audit. */
  line: string;
}

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const COMMAND = /^ {0,3}\/([A-Za-z][A-Za-z0-9_-]*)(?=\s|$)(.*)$/;

/** Every slash-command-looking line, in order, outside code, quotes and HTML comments. */
export function candidateLines(body: string): CandidateLine[] {
  const out: CandidateLine[] = [];
  let fence: { char: string; length: number } | undefined;
  let inHtmlComment = false;
  for (const raw of body.split(/\r\n|\r|\n/)) {
    if (fence) {
      const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(raw);
      if (close?.[1]?.[0] === fence.char && close[1].length >= fence.length) fence = undefined;
      continue;
    }
    if (inHtmlComment) {
      if (raw.includes('-->')) inHtmlComment = false;
      continue;
    }
    if (/^ {0,3}>/.test(raw)) continue; // block quote
    if (/^( {4}| {0,3}\t)/.test(raw)) continue; // indented code
    const open = FENCE_OPEN.exec(raw);
    // A backtick fence's info string may not contain backticks (CommonMark), else it is inline code.
    if (open && !(open[1]!.startsWith('`') && open[2]!.includes('`'))) {
      fence = { char: open[1]![0]!, length: open[1]!.length };
      continue;
    }
    if (/^ {0,3}<!--/.test(raw) && !raw.slice(raw.indexOf('<!--') + 4).includes('-->')) {
      inHtmlComment = true;
      continue;
    }
    const m = COMMAND.exec(raw);
    if (m) out.push({ word: m[1]!, rest: m[2]!, line: raw.trim() });
  }
  return out;
}
