// The hidden record the Action leaves in its `gitops-failover/verify` check run, which the bot reads back
// to update timelines, open rollbacks and continue drills. Written and read here so both sides agree.

const OPEN = '<!-- gitops-failover:verify ';

/** Renders the record as an HTML comment that JSON content cannot close early. */
export function verifyMarker(data: Record<string, unknown>): string {
  const json = JSON.stringify(data).replaceAll('--', '\\u002d\\u002d').replaceAll('>', '\\u003e');
  return `${OPEN}${json} -->`;
}

export function parseVerifyMarker(text: string): Record<string, unknown> | undefined {
  const m = /<!-- gitops-failover:verify (\{.*?\}) -->/s.exec(text);
  if (!m?.[1]) return undefined;
  try {
    const parsed: unknown = JSON.parse(m[1]);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

const MARKER_RE = /<!-- gitops-failover:verify \{.*?\} -->/s;

/**
 * Clips `text` to `limit` characters the way GitHub keeps a check run's output (the beginning), but
 * never loses the record: the Action writes it first, and a record found past the cut is moved to the
 * front, so a long report can cost its tail, never the result the bot reads.
 */
export function clipKeepingRecord(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const note = "\n\n… (cut at GitHub's size limit)";
  const record = MARKER_RE.exec(text)?.[0];
  const recordFits = record !== undefined && text.indexOf(record) + record.length <= limit - note.length;
  if (record === undefined || recordFits) return `${text.slice(0, limit - note.length)}${note}`;
  const rest = text.replace(record, '');
  return `${record}\n${rest.slice(0, Math.max(0, limit - note.length - record.length - 1))}${note}`;
}
