// The hidden machine-readable marker at the end of every failover PR body:
//   <!-- gitops-failover {json} sig=v1.<base64url HMAC> -->
// The Action and the bot read it back, so it must round-trip exactly, and nothing inside it (an alert
// label, a --reason) may close the HTML comment early: `--`, `<` and `>` inside JSON strings are written
// as \u escapes, which JSON.parse turns back into the same characters. The signature (marker-seal.ts) is
// the bot's: anyone can write a marker into a PR body, only the bot can sign one.
import type { FailoverMarker } from '../types.js';

export const MARKER_PREFIX = '<!-- gitops-failover ';
const MARKER_SUFFIX = ' -->';
const STRING_LITERAL = /"(?:[^"\\]|\\.)*"/g;
/** The signature after the JSON: ` sig=v1.` and 43 base64url characters (an HMAC-SHA256). */
const SIGNATURE = / sig=v1\.([A-Za-z0-9_-]{43})$/;

/** The marker's JSON as it appears in a body (the exact text the signature covers). */
export function markerJson(m: FailoverMarker): string {
  return JSON.stringify(m).replace(STRING_LITERAL, (lit) =>
    lit
      .replace(/-(?=-)/g, '\\u002d')
      .replace(/</g, '\\u003c')
      .replace(/>/g, '\\u003e'),
  );
}

/** The marker comment; with `signature`, the signed form. */
export function renderMarker(m: FailoverMarker, signature?: string): string {
  return markerComment(markerJson(m), signature);
}

export function markerComment(json: string, signature?: string): string {
  return `${MARKER_PREFIX}${json}${signature ? ` sig=v1.${signature}` : ''}${MARKER_SUFFIX}`;
}

/** The last marker comment of a body, split into its JSON text and signature (undefined when none). */
export interface RawMarker {
  /** Where the comment starts and ends (end is exclusive) in the body. */
  start: number;
  end: number;
  json: string;
  signature?: string;
}

export function findMarker(body: string): RawMarker | undefined {
  const start = body.lastIndexOf(MARKER_PREFIX);
  if (start < 0) return undefined;
  const close = body.indexOf(MARKER_SUFFIX, start + MARKER_PREFIX.length);
  if (close < 0) return undefined;
  const inner = body.slice(start + MARKER_PREFIX.length, close);
  const sig = SIGNATURE.exec(inner);
  const raw: RawMarker = {
    start,
    end: close + MARKER_SUFFIX.length,
    json: sig ? inner.slice(0, sig.index) : inner,
  };
  if (sig?.[1]) raw.signature = sig[1];
  return raw;
}

/** The marker's content, signed or not. Only for reading what a trusted PR says (see marker-seal.ts). */
export function parseMarker(body: string): FailoverMarker | undefined {
  const raw = findMarker(body);
  return raw ? markerFromJson(raw.json) : undefined;
}

export function markerFromJson(json: string): FailoverMarker | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
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
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const m = v as Record<string, unknown>;
  return (
    m.v === 1 &&
    typeof m.kind === 'string' &&
    Array.isArray(m.services) &&
    m.services.every((s) => typeof s === 'string') &&
    Array.isArray(m.changes) &&
    m.changes.every(isChange) &&
    typeof m.startedAt === 'string' &&
    typeof m.receivedAt === 'string' &&
    Array.isArray(m.fingerprints) &&
    typeof m.trigger === 'object' &&
    m.trigger !== null
  );
}

function isChange(c: unknown): boolean {
  if (typeof c !== 'object' || c === null) return false;
  const x = c as Record<string, unknown>;
  return typeof x.service === 'string' && typeof x.from === 'string' && typeof x.to === 'string';
}
