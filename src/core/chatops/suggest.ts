// "Did you mean ...": optimal-string-alignment distance (Levenshtein plus adjacent transpositions, so
// `failvoer` is one edit from `failover`), and a safe way to echo what the user typed back to them.

/** Edit distance with adjacent transpositions counted as one edit. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(
        d[(i - 1) * cols + j]! + 1,
        d[i * cols + j - 1]! + 1,
        d[(i - 1) * cols + j - 1]! + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[(i - 2) * cols + j - 2]! + 1);
      }
      d[i * cols + j] = best;
    }
  }
  return d[rows * cols - 1]!;
}

export const MAX_SUGGESTION_DISTANCE = 2;

/**
 * Candidates within 2 edits, closest first. A word must keep more of itself than it changes
 * (`eu` is not a typo of `us`), which keeps suggestions for short names honest.
 */
export function closest(word: string, candidates: Iterable<string>): string[] {
  const w = word.toLowerCase();
  if (w.length > 80) return [];
  const scored: { c: string; d: number }[] = [];
  for (const c of new Set(candidates)) {
    const d = editDistance(w, c.toLowerCase());
    if (d > 0 && d <= MAX_SUGGESTION_DISTANCE && d < Math.min(w.length, c.length)) scored.push({ c, d });
  }
  return scored.sort((x, y) => x.d - y.d || x.c.localeCompare(y.c)).map((s) => s.c);
}

/** ` Did you mean `x`?` with the closest candidate, or nothing when none is close. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const near = closest(word, candidates);
  return near.length > 0 ? ` Did you mean ${code(near[0]!)}?` : '';
}

/** User input echoed back inside inline code: no backticks, no line breaks, bounded length. */
export function code(text: string): string {
  const clean = text.replace(/[`\r\n]/g, '').replace(/\s+/g, ' ');
  const short = clean.length > 64 ? `${clean.slice(0, 61)}...` : clean;
  return `\`${short || ' '}\``;
}

export function orList(items: string[]): string {
  const quoted = items.map(code);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
}
