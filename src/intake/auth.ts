// Authentication of alert notifications. It fails closed: with no token and no HMAC secret configured,
// every request is refused, so a half-configured deployment can never be driven by anyone on the network.
// Secrets come in as arguments (the bot reads the environment); nothing here reads process.env.
//
// Two phases. `precheck` runs on the headers alone and settles everything it can before a byte of the
// body is read: a bearer or query token is compared there, so a wrong one costs no buffering. `authenticate`
// finishes the signatures that cover the body. A signature is reserved in the replay guard, and the route
// commits it only when the request was answered 2xx: a sender retrying after a 503 is answered normally.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { ReplayGuard } from './replay.js';

export { ReplayGuard };

export const HMAC_WINDOW_MS = 5 * 60_000;
export const SIGNATURE_HEADER = 'x-failover-signature-256';
export const TIMESTAMP_HEADER = 'x-failover-timestamp';
export const GRAFANA_SIGNATURE_HEADER = 'x-grafana-alerting-signature';
export const DEFAULT_GRAFANA_TIMESTAMP_HEADER = 'x-grafana-alerting-signature-timestamp';
export const PAGERDUTY_SIGNATURE_HEADER = 'x-pagerduty-signature';

export interface IntakeSecrets {
  /** Accepted bearer tokens; more than one during a rotation. Empty strings are ignored. */
  tokens: readonly string[];
  /** Shared secret for `X-Failover-Signature-256`; undefined disables HMAC. */
  hmacSecret?: string | undefined;
  /** Grafana contact-point HMAC secrets by lower-case `owner/repo` (Grafana does not sign the URL). */
  grafana?: ReadonlyMap<string, readonly string[]>;
  /** PagerDuty v3 webhook subscription secrets by lower-case `owner/repo`. */
  pagerduty?: ReadonlyMap<string, readonly string[]>;
}

/** What the request carries that may prove who sent it. Header names are lower-case. */
export interface Credentials {
  authorization?: string | undefined;
  signature?: string | undefined;
  timestamp?: string | undefined;
  /** `?token=` from the URL: only meaningful for SNS, which cannot add headers (see the route). */
  queryToken?: string | undefined;
  grafanaSignature?: string | undefined;
  grafanaTimestamp?: string | undefined;
  pagerdutySignature?: string | undefined;
}

/** What the signature covers besides the body: the request line, so a capture cannot be replayed elsewhere. */
export interface SignedRequest {
  method: string;
  /** The request target exactly as sent: path and query (`/failover/v1/alerts/acme/infra?source=x`). */
  target: string;
  /** Lower-case `owner/repo` the target names. */
  repoKey: string;
}

export type AuthMethod = 'bearer' | 'hmac' | 'query-token' | 'grafana' | 'pagerduty';

export type AuthOutcome =
  | { ok: true; method: AuthMethod; replayKey?: string; replayUntilMs?: number }
  | { ok: false; status: 401 | 403; message: string };

export const NOT_CONFIGURED =
  'alert endpoint is not configured: set FAILOVER_ALERT_TOKENS or FAILOVER_ALERT_HMAC_SECRET on the bot';

/** True when at least one way to authenticate is configured. */
export function isConfigured(secrets: IntakeSecrets): boolean {
  return (
    usableTokens(secrets).length > 0 ||
    Boolean(secrets.hmacSecret) ||
    (secrets.grafana?.size ?? 0) > 0 ||
    (secrets.pagerduty?.size ?? 0) > 0
  );
}

const refuse = (status: 401 | 403, message: string): AuthOutcome => ({ ok: false, status, message });

/**
 * Everything that needs no body. Returns the final outcome for bearer and query tokens (compared here,
 * before the body is read), a refusal for anything malformed, stale or not configured, or undefined when
 * a signature over the body is still to be checked.
 */
export function precheck(
  secrets: IntakeSecrets,
  creds: Credentials,
  req: SignedRequest,
  nowMs: number,
): AuthOutcome | undefined {
  if (!isConfigured(secrets)) return refuse(403, NOT_CONFIGURED);
  if (creds.signature !== undefined) return precheckHmac(secrets, creds, nowMs);
  if (creds.grafanaSignature !== undefined) return precheckGrafana(secrets, creds, req, nowMs);
  if (creds.pagerdutySignature !== undefined) return precheckPagerDuty(secrets, creds, req);
  if (creds.authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(creds.authorization);
    if (!match?.[1]) return refuse(401, 'Authorization must be "Bearer <token>"');
    return tokenMatches(secrets, match[1]) ? { ok: true, method: 'bearer' } : refuse(403, 'wrong token');
  }
  if (creds.queryToken !== undefined) {
    return tokenMatches(secrets, creds.queryToken)
      ? { ok: true, method: 'query-token' }
      : refuse(403, 'wrong token');
  }
  return refuse(
    401,
    'missing credentials: send Authorization: Bearer <token>, X-Failover-Signature-256, or a native signature (Grafana, PagerDuty)',
  );
}

/** Finishes authentication over the raw body bytes (after `precheck` returned undefined). */
export function authenticate(
  secrets: IntakeSecrets,
  creds: Credentials,
  req: SignedRequest,
  rawBody: Buffer,
  nowMs: number,
  replay: ReplayGuard,
): AuthOutcome {
  const early = precheck(secrets, creds, req, nowMs);
  if (early) return early;
  let outcome: AuthOutcome;
  if (creds.signature !== undefined) outcome = checkHmac(secrets, creds, req, rawBody, nowMs);
  else if (creds.grafanaSignature !== undefined) outcome = checkGrafana(secrets, creds, req, rawBody, nowMs);
  else outcome = checkPagerDuty(secrets, creds, req, rawBody);
  if (!outcome.ok || outcome.replayKey === undefined) return outcome;
  // Only a valid signature is reserved: an attacker cannot fill the guard with junk to evict real entries.
  if (!replay.reserve(outcome.replayKey, outcome.replayUntilMs ?? nowMs + HMAC_WINDOW_MS, nowMs)) {
    return refuse(401, 'replayed: this signature was already used');
  }
  return outcome;
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
  return anyEqual(usableTokens(secrets), presented);
}

function anyEqual(candidates: readonly string[], presented: string): boolean {
  if (candidates.length === 0 || presented.length === 0) return false;
  const got = sha256(presented);
  let found = false;
  for (const candidate of candidates) {
    if (timingSafeEqual(got, sha256(candidate))) found = true;
  }
  return found;
}

/** Checks a unix-seconds timestamp header against the window; a string is the refusal. */
function checkTimestamp(raw: string | undefined, header: string, nowMs: number): number | string {
  const ts = (raw ?? '').trim();
  if (!/^\d{1,12}$/.test(ts)) return `${header} must be unix seconds`;
  const tsMs = Number(ts) * 1000;
  if (Math.abs(nowMs - tsMs) > HMAC_WINDOW_MS)
    return `stale timestamp: ${header} is outside the 5-minute window`;
  return tsMs;
}

/**
 * The bytes `X-Failover-Signature-256` covers: timestamp, method and request target, each on its own line
 * (none of them can contain a newline), then the body. Binding the target means a request captured for
 * one repository (or one `?source=`) does not verify for another.
 */
export function failoverStringToSign(ts: string, req: Pick<SignedRequest, 'method' | 'target'>): string {
  return `${ts}\n${req.method.toUpperCase()}\n${req.target}\n`;
}

function precheckHmac(secrets: IntakeSecrets, creds: Credentials, nowMs: number): AuthOutcome | undefined {
  if (!secrets.hmacSecret) return refuse(403, 'HMAC signatures are not enabled on this endpoint');
  if (!/^sha256=[0-9a-f]{64}$/i.test((creds.signature ?? '').trim()))
    return refuse(401, 'X-Failover-Signature-256 must be sha256=<64 hex>');
  const ts = checkTimestamp(creds.timestamp, 'X-Failover-Timestamp', nowMs);
  return typeof ts === 'string' ? refuse(401, ts) : undefined;
}

function checkHmac(
  secrets: IntakeSecrets,
  creds: Credentials,
  req: SignedRequest,
  rawBody: Buffer,
  nowMs: number,
): AuthOutcome {
  const presented = Buffer.from((creds.signature ?? '').trim().slice('sha256='.length).toLowerCase(), 'hex');
  const ts = (creds.timestamp ?? '').trim();
  const valid = anyDigestMatches([secrets.hmacSecret ?? ''], presented, (key) =>
    createHmac('sha256', key).update(failoverStringToSign(ts, req)).update(rawBody).digest(),
  );
  return valid ? spentOnceAnswered('hmac', presented, ts, nowMs) : refuse(403, 'wrong signature');
}

/** A valid signature with a timestamp: usable once, until the timestamp leaves the window. */
function spentOnceAnswered(
  method: 'hmac' | 'grafana',
  presented: Buffer,
  ts: string,
  nowMs: number,
): AuthOutcome {
  const untilMs = Number(ts) * 1000 + HMAC_WINDOW_MS;
  return {
    ok: true,
    method,
    replayKey: `${method}:${presented.toString('hex')}`,
    replayUntilMs: Math.max(untilMs, nowMs),
  };
}

function precheckGrafana(
  secrets: IntakeSecrets,
  creds: Credentials,
  req: SignedRequest,
  nowMs: number,
): AuthOutcome | undefined {
  if (!secrets.grafana?.get(req.repoKey)?.length) {
    return refuse(
      403,
      `no Grafana HMAC secret is configured for ${req.repoKey} (FAILOVER_GRAFANA_HMAC_SECRETS)`,
    );
  }
  if (!/^[0-9a-f]{64}$/i.test((creds.grafanaSignature ?? '').trim()))
    return refuse(401, 'X-Grafana-Alerting-Signature must be 64 hex characters (HMAC-SHA256)');
  if (creds.grafanaTimestamp === undefined) {
    return refuse(
      401,
      "Grafana's HMAC signature needs a timestamp: set the contact point's Timestamp Header (see docs/alert-sources.md)",
    );
  }
  const ts = checkTimestamp(creds.grafanaTimestamp, 'the Grafana timestamp header', nowMs);
  return typeof ts === 'string' ? refuse(401, ts) : undefined;
}

/** Grafana signs `timestamp:body` (hex HMAC-SHA256) when a timestamp header is configured. */
function checkGrafana(
  secrets: IntakeSecrets,
  creds: Credentials,
  req: SignedRequest,
  rawBody: Buffer,
  nowMs: number,
): AuthOutcome {
  const presented = Buffer.from((creds.grafanaSignature ?? '').trim().toLowerCase(), 'hex');
  const ts = (creds.grafanaTimestamp ?? '').trim();
  const keys = secrets.grafana?.get(req.repoKey) ?? [];
  const valid = anyDigestMatches(keys, presented, (key) =>
    createHmac('sha256', key).update(`${ts}:`).update(rawBody).digest(),
  );
  return valid ? spentOnceAnswered('grafana', presented, ts, nowMs) : refuse(403, 'wrong signature');
}

function precheckPagerDuty(
  secrets: IntakeSecrets,
  creds: Credentials,
  req: SignedRequest,
): AuthOutcome | undefined {
  if (!secrets.pagerduty?.get(req.repoKey)?.length) {
    return refuse(
      403,
      `no PagerDuty webhook secret is configured for ${req.repoKey} (FAILOVER_PAGERDUTY_SECRETS)`,
    );
  }
  if (pagerDutySignatures(creds.pagerdutySignature).length === 0)
    return refuse(401, 'X-PagerDuty-Signature must hold v1=<64 hex> signatures');
  return undefined;
}

/** `v1=<hex>,v1=<hex>`: PagerDuty sends one per active secret while a secret is being rotated. */
export function pagerDutySignatures(header: string | undefined): Buffer[] {
  return (header ?? '')
    .split(',')
    .map((part) => /^\s*v1=([0-9a-f]{64})\s*$/i.exec(part)?.[1])
    .filter((hex): hex is string => hex !== undefined)
    .map((hex) => Buffer.from(hex.toLowerCase(), 'hex'));
}

/**
 * PagerDuty v3 signs the body alone (hex HMAC-SHA256), so a signature does not bind the repository: the
 * secrets are per repository for that reason. Freshness and replay are judged on the event's own id and
 * time by the route, once the body is parsed.
 */
function checkPagerDuty(
  secrets: IntakeSecrets,
  creds: Credentials,
  req: SignedRequest,
  rawBody: Buffer,
): AuthOutcome {
  const keys = secrets.pagerduty?.get(req.repoKey) ?? [];
  const digests = keys.map((key) => createHmac('sha256', key).update(rawBody).digest());
  let valid = false;
  for (const presented of pagerDutySignatures(creds.pagerdutySignature)) {
    for (const digest of digests) if (timingSafeEqual(digest, presented)) valid = true;
  }
  return valid ? { ok: true, method: 'pagerduty' } : refuse(403, 'wrong signature');
}

function anyDigestMatches(
  keys: readonly string[],
  presented: Buffer,
  digest: (key: string) => Buffer,
): boolean {
  let valid = false;
  for (const key of keys) if (timingSafeEqual(digest(key), presented)) valid = true;
  return valid;
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
