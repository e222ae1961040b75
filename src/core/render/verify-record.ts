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
