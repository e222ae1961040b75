// Applies a unified diff produced by unifiedDiff to a text, strictly: every context and removed line must
// match exactly, so a test that applies the diff proves the diff describes the edit.

function splitLines(text: string): string[] {
  return text === '' ? [] : text.split(/(?<=\n)/);
}

export function applyPatch(oldText: string, patch: string): string {
  if (patch === '') return oldText;
  const source = splitLines(oldText);
  const lines = patch.split('\n');
  if (lines.at(-1) === '') lines.pop();
  if (!lines[0]?.startsWith('--- a/') || !lines[1]?.startsWith('+++ b/'))
    throw new Error('missing file header');
  const out: string[] = [];
  let cursor = 0; // index into source
  let i = 2;
  while (i < lines.length) {
    const header = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@$/.exec(lines[i]!);
    if (!header) throw new Error(`bad hunk header: ${lines[i]}`);
    const oldStart = Number(header[1]);
    const oldCount = header[2] === undefined ? 1 : Number(header[2]);
    const hunkStart = oldCount === 0 ? oldStart : oldStart - 1;
    if (hunkStart < cursor) throw new Error('hunks overlap');
    out.push(...source.slice(cursor, hunkStart));
    cursor = hunkStart;
    i++;
    while (i < lines.length && !lines[i]!.startsWith('@@')) {
      const raw = lines[i]!;
      const noNewline = lines[i + 1] === '\\ No newline at end of file';
      const body = raw.slice(1) + (noNewline ? '' : '\n');
      const kind = raw[0];
      if (kind === ' ' || kind === '-') {
        if (source[cursor] !== body) throw new Error(`context mismatch at line ${cursor + 1}`);
        cursor++;
      }
      if (kind === ' ' || kind === '+') out.push(body);
      if (kind !== ' ' && kind !== '-' && kind !== '+') throw new Error(`bad line: ${raw}`);
      i += noNewline ? 2 : 1;
    }
  }
  out.push(...source.slice(cursor));
  return out.join('');
}
