// Which PR markers the port believes. A marker is text in a PR body, and anyone who can open a PR (a fork
// too) or edit a body can write one. The bot acts on a marker (history behind cooldown and max-per-day,
// open failover PRs, the results loop) only when the PR was opened by the app itself, from a branch of
// this repository, and the marker carries the bot's signature for this repository. Without a key (the
// Action, the CLI) the port cannot check signatures: it still requires a bot author and a same-repo
// branch, and what it reads is used for reports only (see docs/security.md).

import { MARKER_PREFIX, parseMarker } from '../core/render/marker.js';
import { checkMarker, type MarkerKeys, sealMarker } from '../core/render/marker-seal.js';
import type { FailoverMarker } from '../core/types.js';

export interface PortTrust {
  /** The keys markers are signed (current) and verified (current and previous) with. */
  keys: MarkerKeys;
  /** The app's slug (`gitops-failover`): its PRs are authored by `<slug>[bot]`. */
  appSlug: string;
  /** Told once per PR and reason when a marker is refused (the bot logs it and counts it). */
  onUntrusted?: (report: UntrustedMarker) => void;
  /**
   * The bot's redaction (its registered secrets). A body is redacted before its marker is signed, since
   * the client's redaction must leave a signed marker as it is (see redactingClient).
   */
  redact?: (text: string) => string;
}

export interface UntrustedMarker {
  repo: string;
  pr: number;
  why: string;
}

/** Who opened a PR and from where, as GitHub reports it (REST or GraphQL). */
export interface PrOrigin {
  /** Login as GitHub gives it (`name[bot]` in REST, `name` in GraphQL) and whether it is a Bot. */
  author?: { login: string; isBot: boolean } | null;
  /** The head branch lives in a fork (or anywhere but this repo). */
  crossRepository: boolean;
}

export type MarkerVerdict =
  | { ok: true; marker: FailoverMarker }
  | { ok: false; why: string; hasMarker: boolean };

const botName = (login: string) => login.toLowerCase().replace(/\[bot\]$/, '');

/** The marker of a PR body when the PR and its marker are the app's own; otherwise why not. */
export function judgeMarker(
  trust: PortTrust | undefined,
  repo: string,
  body: string | null | undefined,
  origin: PrOrigin,
): MarkerVerdict {
  if (!body?.includes(MARKER_PREFIX)) return { ok: false, why: 'no marker', hasMarker: false };
  const author = origin.author;
  if (!author?.isBot) return refuse(`opened by ${author?.login ?? 'a deleted account'}, not by the app`);
  if (trust && botName(author.login) !== botName(trust.appSlug))
    return refuse(`opened by ${author.login}, not by ${trust.appSlug}[bot]`);
  if (origin.crossRepository) return refuse('its branch is in a fork, not in this repository');
  if (!trust) {
    const marker = parseMarker(body);
    return marker ? { ok: true, marker } : refuse('the marker does not parse');
  }
  const check = checkMarker(body, trust.keys, repo);
  if (check.status === 'valid') return { ok: true, marker: check.marker };
  if (check.status === 'absent') return { ok: false, why: 'no marker', hasMarker: false };
  return refuse(check.why);
}

function refuse(why: string): MarkerVerdict {
  return { ok: false, why, hasMarker: true };
}

/** A REST `user` is the app (any Bot when the port does not know which app it is). */
export function isAppAuthor(
  trust: PortTrust | undefined,
  user: { login: string; type?: string } | null | undefined,
): boolean {
  if (!trust) return true;
  return user?.type === 'Bot' && botName(user.login) === botName(trust.appSlug);
}

/** The body as the bot writes it: its marker signed when the port has a key. */
export function sealBody(trust: PortTrust | undefined, repo: string, body: string): string {
  return trust ? sealMarker(body, trust.keys, repo) : body;
}

/** Reports each refused marker once per PR and reason (the same forged PR is read on every alert). */
export function untrustedReporter(trust: PortTrust | undefined): (r: UntrustedMarker) => void {
  const seen = new Set<string>();
  return (r) => {
    const key = `${r.repo}#${r.pr}:${r.why}`;
    if (!trust?.onUntrusted || seen.has(key)) return;
    if (seen.size > 10_000) seen.clear();
    seen.add(key);
    trust.onUntrusted(r);
  };
}
