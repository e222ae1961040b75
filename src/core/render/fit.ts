// GitHub refuses bodies over 65,536 characters. fitBody cuts what can be cut (the decision trace first,
// then the text before the marker) and says so; the hidden marker at the end is never cut.
import { markerIndex } from './marker.js';

export const BODY_LIMIT = 65_536;
export const TRACE_START = '<!-- gitops-failover:trace -->';
export const TRACE_END = '<!-- /gitops-failover:trace -->';

export function fitBody(text: string, limit = BODY_LIMIT): string {
  if (text.length <= limit) return text;
  const at = markerIndex(text);
  const tail = at >= 0 ? text.slice(at) : '';
  let head = at >= 0 ? text.slice(0, at) : text;

  // 1. Cut trace rows (they are the long part when many signals or rules are listed).
  const ts = head.indexOf(TRACE_START);
  const te = head.indexOf(TRACE_END, ts);
  if (ts >= 0 && te > ts) {
    const before = head.slice(0, ts + TRACE_START.length);
    const after = head.slice(te);
    const rows = head.slice(ts + TRACE_START.length, te).split('\n');
    const budget = limit - tail.length - before.length - after.length - 200;
    let used = 0;
    let keep = 0;
    for (const row of rows) {
      if (used + row.length + 1 > budget) break;
      used += row.length + 1;
      keep++;
    }
    if (keep < rows.length) {
      const cut = rows.length - keep;
      const note = `\n\n> ✂️ ${cut} more trace line${cut === 1 ? '' : 's'} cut to keep this under ${limit.toLocaleString('en-US')} characters; the full trace is in the bot's logs and \`failover simulate\`.\n`;
      head = before + rows.slice(0, keep).join('\n') + note + after;
    }
    if (head.length + tail.length <= limit) return head + tail;
  }

  // 2. Cut the end of what remains before the marker, closing a code fence left open by the cut.
  const note = `\n\n> ✂️ cut to keep this under ${limit.toLocaleString('en-US')} characters.\n\n`;
  let room = limit - tail.length - note.length;
  // The closing fence added after the cut takes room too; shrink until everything fits.
  for (let attempt = 0; attempt < 5 && room > 0; attempt++) {
    const out = cutHead(head, room) + note + tail;
    if (out.length <= limit) return out;
    room -= out.length - limit;
  }
  // Nothing before the marker fits (only possible with tiny limits): the marker alone, or a plain cut
  // when even the marker is too long for the limit.
  return tail.length <= limit ? tail : text.slice(0, limit);
}

function cutHead(head: string, room: number): string {
  let kept = head.slice(0, room);
  const lastNewline = kept.lastIndexOf('\n');
  if (lastNewline > room / 2) kept = kept.slice(0, lastNewline + 1);
  const fence = openFence(kept);
  if (fence) kept = `${kept.endsWith('\n') ? kept : `${kept}\n`}${fence}`;
  return kept;
}

/** The fence that is still open at the end of `text`, if any (``` or longer, CommonMark rules). */
function openFence(text: string): string | undefined {
  let open: string | undefined;
  for (const line of text.split('\n')) {
    const m = /^ {0,3}(`{3,})/.exec(line);
    if (!m) continue;
    const ticks = m[1] as string;
    if (open === undefined) open = ticks;
    else if (ticks.length >= open.length && line.trim() === ticks) open = undefined;
  }
  return open;
}
