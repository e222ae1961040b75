// Authentication of alert notifications. It fails closed: with no token and no HMAC secret configured,
// every request is refused, so a half-configured deployment can never be driven by anyone on the network.
// Secrets come in as arguments (the bot reads the environment); nothing here reads process.env.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const HMAC_WINDOW_MS = 5 * 60_000;
export const SIGNATURE_HEADER = 'x-failover-signature-256';
export const TIMESTAMP_HEADER = 'x-failover-timestamp';

export interface IntakeSecrets {
  /** Accepted bearer tokens; more than one during a rotation. Empty strings are ignored. */
  tokens: readonly string[];
  /** Shared secret for `X-Failover-Signature-256`; undefined disables HMAC. */
  hmacSecret?: string | undefined;
}

/** What the request carries that may prove who sent it. Header names are lower-case. */
export interface Credentials {
  authorization?: string | undefined;
  signature?: string | undefined;
  timestamp?: string | undefined;
  /** `?token=` from the URL: only meaningful for SNS, which cannot add headers (see the route). */
  queryToken?: string | undefined;
}

export type AuthMethod = 'bearer' | 'hmac' | 'query-token';

export type AuthOutcome =
  | { ok: true; method: AuthMethod }
  | { ok: false; status: 401 | 403; message: string };

export const NOT_CONFIGURED =
  'alert endpoint is not configured: set FAILOVER_ALERT_TOKENS or FAILOVER_ALERT_HMAC_SECRET on the bot';

/** True when at least one way to authenticate is configured. */
export function isConfigured(secrets: IntakeSecrets): boolean {
  return usableTokens(secrets).length > 0 || Boolean(secrets.hmacSecret);
}

/**
 * The checks that need no body: refuses unconfigured endpoints and requests without any credential
 * before the body is read, so an anonymous client cannot make the bot buffer a megabyte.
 */
export function precheck(secrets: IntakeSecrets, creds: Credentials): AuthOutcome | undefined {
  if (!isConfigured(secrets)) return { ok: false, status: 403, message: NOT_CONFIGURED };
  if (!creds.authorization && !creds.signature && !creds.queryToken) {
    return {
      ok: false,
      status: 401,
      message: 'missing credentials: send Authorization: Bearer <token> or X-Failover-Signature-256',
    };
  }
  return undefined;
}

/** Full authentication over the raw body bytes. `nowMs` is the receive time. */
export function authenticate(
  secrets: IntakeSecrets,
  creds: Credentials,
  rawBody: Buffer,
  nowMs: number,
  replay: ReplayGuard,
): AuthOutcome {
  const early = precheck(secrets, creds);
  if (early) return early;

  if (creds.signature !== undefined) return checkHmac(secrets, creds, rawBody, nowMs, replay);

  if (creds.authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(creds.authorization);
    if (!match?.[1]) return { ok: false, status: 401, message: 'Authorization must be "Bearer <token>"' };
    return tokenMatches(secrets, match[1])
      ? { ok: true, method: 'bearer' }
      : { ok: false, status: 403, message: 'wrong token' };
  }

  // Only a query token is left (precheck guarantees one credential).
  return tokenMatches(secrets, creds.queryToken ?? '')
    ? { ok: true, method: 'query-token' }
    : { ok: false, status: 403, message: 'wrong token' };
}

function usableTokens(secrets: IntakeSecrets): string[] {
  return secrets.tokens.map((t) => t.trim()).filter((t) => t.length > 0);
}

/**
 * Constant-time membership test. Both sides are hashed first so the compared buffers always have the
 * same length (timingSafeEqual requires it, and comparing lengths would leak them), and every configured
 * token is compared even after a match.
 */
export function tokenMatches(secrets: IntakeSecrets, presented: string): boolean {
  const tokens = usableTokens(secrets);
  if (tokens.length === 0 || presented.length === 0) return false;
  const got = sha256(presented);
  let found = false;
  for (const token of tokens) {
    if (timingSafeEqual(got, sha256(token))) found = true;
  }
  return found;
}

function checkHmac(
  secrets: IntakeSecrets,
  creds: Credentials,
  rawBody: Buffer,
  nowMs: number,
  replay: ReplayGuard,
): AuthOutcome {
  if (!secrets.hmacSecret) {
    return { ok: false, status: 403, message: 'HMAC signatures are not enabled on this endpoint' };
  }
  const sig = /^sha256=([0-9a-f]{64})$/i.exec((creds.signature ?? '').trim());
  if (!sig?.[1])
    return { ok: false, status: 401, message: 'X-Failover-Signature-256 must be sha256=<64 hex>' };
  const ts = (creds.timestamp ?? '').trim();
  if (!/^\d{1,12}$/.test(ts)) {
    return { ok: false, status: 401, message: 'X-Failover-Timestamp must be unix seconds' };
  }
  const tsMs = Number(ts) * 1000;
  if (Math.abs(nowMs - tsMs) > HMAC_WINDOW_MS) {
    return {
      ok: false,
      status: 401,
      message: 'stale timestamp: X-Failover-Timestamp is outside the 5-minute window',
    };
  }
  const expected = createHmac('sha256', secrets.hmacSecret).update(`${ts}.`).update(rawBody).digest();
  const presented = Buffer.from(sig[1], 'hex');
  // Both are 32-byte digests here (the regex fixed the length), so timingSafeEqual cannot throw.
  if (!timingSafeEqual(expected, presented)) return { ok: false, status: 403, message: 'wrong signature' };
  // Only a valid signature is remembered: an attacker cannot fill the guard with junk to evict real entries.
  if (!replay.remember(`${ts}:${sig[1].toLowerCase()}`, tsMs + HMAC_WINDOW_MS, nowMs)) {
    return { ok: false, status: 401, message: 'replayed: this signature was already used' };
  }
  return { ok: true, method: 'hmac' };
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * Remembers (timestamp, signature) pairs until their timestamp leaves the window. Bounded: when full, the
 * entries closest to expiry go first. A pair outside the window is refused by the timestamp check anyway,
 * so only the last 5 minutes need remembering. In-process only: across replicas a replayed notification
 * can still land once per replica, which the idempotent GitHub port turns into "PR already exists".
 */
export class ReplayGuard {
  readonly #expiries = new Map<string, number>();
  constructor(readonly max = 50_000) {}

  /** Records the key; false when it was already seen and has not expired. */
  remember(key: string, expiresAtMs: number, nowMs: number): boolean {
    const known = this.#expiries.get(key);
    if (known !== undefined && known > nowMs) return false;
    this.#prune(nowMs);
    while (this.#expiries.size >= this.max) {
      const oldest = this.#expiries.keys().next().value;
      if (oldest === undefined) break;
      this.#expiries.delete(oldest);
    }
    this.#expiries.set(key, expiresAtMs);
    return true;
  }

  get size(): number {
    return this.#expiries.size;
  }

  #prune(nowMs: number): void {
    for (const [key, expiry] of this.#expiries) {
      if (expiry <= nowMs) this.#expiries.delete(key);
    }
  }
}
