// A small line-based unified diff (`diff -u` / `git diff` hunks, 3 lines of context). Desired-state
// edits change a few lines of a small file, so after trimming the common head and tail an LCS table over
// what is left is cheap; past a size cap the middle is shown as replaced wholesale, which is still exact.

const CONTEXT = 3;
/** Cells of the LCS table we are willing to fill (the middle of a one-key edit is a handful of lines). */
const LCS_CELL_CAP = 4_000_000;

type Op = { kind: ' ' | '-' | '+'; line: string };

/** Lines with their terminator kept, so "x" at end of file and "x\n" differ, as in diff(1). */
function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/(?<=\n)/);
  return lines;
}

function diffOps(a: string[], b: string[]): Op[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  )
    tail++;
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  const ops: Op[] = a.slice(0, head).map((line) => ({ kind: ' ', line }));
  ops.push(...middleOps(midA, midB));
  ops.push(...a.slice(a.length - tail).map((line): Op => ({ kind: ' ', line })));
  return ops;
}

function middleOps(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0 || n * m > LCS_CELL_CAP) {
    return [...a.map((line): Op => ({ kind: '-', line })), ...b.map((line): Op => ({ kind: '+', line }))];
  }
  // lcs[i * (m + 1) + j] = LCS length of a[i..] and b[j..]
  const w = m + 1;
  const lcs = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * w + j] =
        a[i] === b[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      ops.push({ kind: ' ', line: a[i]! });
      i++;
      j++;
    } else if (lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!) {
      ops.push({ kind: '-', line: a[i++]! });
    } else {
      ops.push({ kind: '+', line: b[j++]! });
    }
  }
  while (i < n) ops.push({ kind: '-', line: a[i++]! });
  while (j < m) ops.push({ kind: '+', line: b[j++]! });
  return ops;
}

function range(start: number, count: number): string {
  // diff(1): an empty side names the line before it; a count of 1 is left out.
  if (count === 0) return `${start - 1},0`;
  return count === 1 ? `${start}` : `${start},${count}`;
}

function emit(op: Op): string {
  if (op.line.endsWith('\n')) return `${op.kind}${op.line}`;
  return `${op.kind}${op.line}\n\\ No newline at end of file\n`;
}

/** `--- a/path` / `+++ b/path` and hunks; the empty string when nothing changed. */
export function unifiedDiff(path: string, oldText: string, newText: string): string {
  if (oldText === newText) return '';
  const ops = diffOps(splitLines(oldText), splitLines(newText));
  const changed = ops.flatMap((op, idx) => (op.kind === ' ' ? [] : [idx]));
  let out = `--- a/${path}\n+++ b/${path}\n`;
  let k = 0;
  while (k < changed.length) {
    // Grow a hunk while the next change is within 2 * CONTEXT lines of the last one.
    let last = changed[k]!;
    let next = k + 1;
    while (next < changed.length && changed[next]! - last <= 2 * CONTEXT) last = changed[next++]!;
    const from = Math.max(0, changed[k]! - CONTEXT);
    const to = Math.min(ops.length, last + CONTEXT + 1);
    let oldLine = 1;
    let newLine = 1;
    for (let idx = 0; idx < from; idx++) {
      if (ops[idx]!.kind !== '+') oldLine++;
      if (ops[idx]!.kind !== '-') newLine++;
    }
    const hunk = ops.slice(from, to);
    const oldCount = hunk.filter((op) => op.kind !== '+').length;
    const newCount = hunk.filter((op) => op.kind !== '-').length;
    out += `@@ -${range(oldLine, oldCount)} +${range(newLine, newCount)} @@\n`;
    out += hunk.map(emit).join('');
    k = next;
  }
  return out;
}
