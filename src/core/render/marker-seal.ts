// The bot's signature on its markers. A marker is an HTML comment anyone can type into a PR body; the
// bot acts on one (history, the results loop, open PRs) only when it carries an HMAC-SHA256 made with a
// key from the bot's environment, over the repo's name and the marker's exact JSON. Binding the repo
// means a signed marker copied into another repository does not verify there. Pure: node:crypto only.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FailoverMarker } from '../types.js';
import { findMarker, markerComment, markerFromJson } from './marker.js';

/** The key that signs, and older keys that still verify while a rotation is under way. */
export interface MarkerKeys {
  current: string;
  previous: string[];
}

export type MarkerCheck =
  | { status: 'valid'; marker: FailoverMarker /** signed with the current key */; current: boolean }
  | { status: 'absent' }
  | { status: 'unsigned' | 'altered' | 'malformed'; why: string };

const DOMAIN = 'gitops-failover marker v1';

function sign(key: string, repo: string, json: string): string {
  return createHmac('sha256', key).update(`${DOMAIN}\n${repo.toLowerCase()}\n${json}`).digest('base64url');
}

function sameSignature(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The body with its (last) marker signed with the current key. The caller vouches for the marker: the
 * bot built it, or read it from a body whose marker verified. Bodies without a marker come back as-is.
 */
export function sealMarker(body: string, keys: MarkerKeys, repo: string): string {
  const raw = findMarker(body);
  if (!raw) return body;
  const comment = markerComment(raw.json, sign(keys.current, repo, raw.json));
  return body.slice(0, raw.start) + comment + body.slice(raw.end);
}

/** What the last marker of a body is worth: valid (signed by one of our keys for this repo) or why not. */
export function checkMarker(body: string | null | undefined, keys: MarkerKeys, repo: string): MarkerCheck {
  const raw = body ? findMarker(body) : undefined;
  if (!raw) return { status: 'absent' };
  if (!raw.signature) return { status: 'unsigned', why: 'the marker carries no signature' };
  const signature = raw.signature;
  const match = [keys.current, ...keys.previous].findIndex((k) =>
    sameSignature(sign(k, repo, raw.json), signature),
  );
  if (match < 0)
    return { status: 'altered', why: 'the marker signature does not verify (altered, or another key)' };
  const marker = markerFromJson(raw.json);
  if (!marker) return { status: 'malformed', why: 'the signed marker does not parse' };
  return { status: 'valid', marker, current: match === 0 };
}
