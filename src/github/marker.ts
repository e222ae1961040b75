// Failover history from merged PR markers. The marker format itself belongs to src/core/render.
import { parseMarker } from '../core/render/index.js';
import type { FailoverMarker, FailoverRecord } from '../core/types.js';

/** The marker of a PR body, tolerating the null body GitHub reports for an empty description. */
export function readMarker(body: string | null | undefined): FailoverMarker | undefined {
  return body ? parseMarker(body) : undefined;
}

/** One history record per merged failover PR (the first change names from → to). */
export function toRecord(marker: FailoverMarker, pr: number, mergedAt: string): FailoverRecord | undefined {
  const change = marker.changes[0];
  if (!change) return undefined;
  return { services: marker.services, from: change.from, to: change.to, kind: marker.kind, mergedAt, pr };
}
