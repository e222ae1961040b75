// The hidden machine-readable marker at the end of every failover PR body:
//   <!-- gitops-failover {json} -->
// The Action and the bot read it back, so it must round-trip exactly, and nothing inside it (an alert
// label, a --reason) may close the HTML comment early: `--`, `<` and `>` inside JSON strings are written
// as \u escapes, which JSON.parse turns back into the same characters.
import type { FailoverMarker } from '../types.js';

export const MARKER_PREFIX = '<!-- gitops-failover ';
const MARKER_SUFFIX = ' -->';
const STRING_LITERAL = /"(?:[^"\\]|\\.)*"/g;

export function renderMarker(m: FailoverMarker): string {
  const json = JSON.stringify(m).replace(STRING_LITERAL, (lit) =>
    lit
      .replace(/-(?=-)/g, '\\u002d')
      .replace(/</g, '\\u003c')
      .replace(/>/g, '\\u003e'),
  );
  return `${MARKER_PREFIX}${json}${MARKER_SUFFIX}`;
}

/** The marker in a PR body (the last one wins: a quoted older body must not shadow it). */
export function parseMarker(body: string): FailoverMarker | undefined {
  const start = body.lastIndexOf(MARKER_PREFIX);
  if (start < 0) return undefined;
  const end = body.indexOf(MARKER_SUFFIX, start + MARKER_PREFIX.length);
  if (end < 0) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(body.slice(start + MARKER_PREFIX.length, end));
  } catch {
    return undefined;
  }
  return isMarker(value) ? value : undefined;
}

/** Where the marker starts in `body` (-1 when there is none): fitBody never cuts from here on. */
export function markerIndex(body: string): number {
  return body.lastIndexOf(MARKER_PREFIX);
}

function isMarker(v: unknown): v is FailoverMarker {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as Record<string, unknown>;
  return (
    m.v === 1 &&
    typeof m.kind === 'string' &&
    Array.isArray(m.services) &&
    m.services.every((s) => typeof s === 'string') &&
    Array.isArray(m.changes) &&
    typeof m.startedAt === 'string' &&
    typeof m.receivedAt === 'string' &&
    Array.isArray(m.fingerprints) &&
    typeof m.trigger === 'object' &&
    m.trigger !== null
  );
}
