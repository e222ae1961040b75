// Reads the hidden `<!-- gitops-failover {json} -->` marker of a failover PR body (DESIGN §7) back into
// a FailoverMarker, and turns merged markers into history records.
// The port reads markers on its own so a malformed body from an older version never breaks a snapshot.
import type { FailoverMarker, FailoverRecord } from '../core/types.js';

const MARKER = /<!--\s*gitops-failover\s+(\{[\s\S]*?\})\s*-->/;

export function readMarker(body: string | null | undefined): FailoverMarker | undefined {
  const match = MARKER.exec(body ?? '');
  if (!match?.[1]) return undefined;
  try {
    const parsed = JSON.parse(match[1]) as Partial<FailoverMarker>;
    if (parsed.v !== 1 || !Array.isArray(parsed.services) || !Array.isArray(parsed.changes)) return undefined;
    return parsed as FailoverMarker;
  } catch {
    return undefined;
  }
}

/** One history record per merged failover PR (the first change names from → to). */
export function toRecord(marker: FailoverMarker, pr: number, mergedAt: string): FailoverRecord | undefined {
  const change = marker.changes[0];
  if (!change) return undefined;
  return { services: marker.services, from: change.from, to: change.to, kind: marker.kind, mergedAt, pr };
}
