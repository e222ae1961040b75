// The only place the bot's own settings are read from the environment (Probot reads APP_ID, PRIVATE_KEY,
// WEBHOOK_SECRET, PORT, GHE_HOST itself). Everything below bot/ receives these values as arguments.
import { DURATION_PATTERN, parseDuration } from '../src/core/duration.js';
import { SecretRegistry, secretsFromEnvironment } from '../src/core/redact.js';
import type { MarkerKeys } from '../src/core/render/marker-seal.js';
import { DEFAULT_GRAFANA_TIMESTAMP_HEADER } from '../src/intake/auth.js';
import { MAX_BODY_BYTES_IN_FLIGHT } from '../src/intake/body.js';
import { DEFAULT_MESSAGE_MAX_AGE_MS } from '../src/intake/freshness.js';

export interface BotSettings {
  /** FAILOVER_ALERT_TOKENS, comma-separated: several at once while rotating. */
  alertTokens: string[];
  /** FAILOVER_ALERT_HMAC_SECRET. */
  hmacSecret?: string | undefined;
  /** FAILOVER_SNS_TOPICS, comma-separated topic ARNs: the only topics whose messages are acted on. */
  snsTopics: string[];
  /**
   * FAILOVER_MARKER_KEY signs the hidden marker of every PR the bot opens; FAILOVER_MARKER_KEY_PREVIOUS
   * (comma-separated) lists older keys that still verify while a rotation is under way.
   */
  markerKeys: MarkerKeys;
  /** FAILOVER_MESSAGE_MAX_AGE (duration, default 1h): how old a signed SNS or PagerDuty message may be. */
  messageMaxAgeMs: number;
  /** FAILOVER_GRAFANA_HMAC_SECRETS: `owner/repo=secret,...` (keys lower-case). */
  grafanaSecrets: Map<string, string[]>;
  /** FAILOVER_GRAFANA_TIMESTAMP_HEADER: the contact point's Timestamp Header (lower-case). */
  grafanaTimestampHeader: string;
  /** FAILOVER_PAGERDUTY_SECRETS: `owner/repo=secret,...` (keys lower-case). */
  pagerdutySecrets: Map<string, string[]>;
  /** FAILOVER_MAX_BODY_BYTES_IN_FLIGHT: body bytes held at once across all requests. */
  maxBodyBytesInFlight: number;
  /** METRICS_PORT: serve /metrics there (and not beside the alert endpoint); undefined keeps it on PORT. */
  metricsPort?: number | undefined;
  /** METRICS_HOST: the interface the metrics listener binds (default: all). */
  metricsHost?: string | undefined;
  /** FAILOVER_HEALTH_TIMEOUT (a duration, default 5s): the bound on one target's live health read. */
  healthTimeoutMs: number;
}

/** A marker key must be long enough that it cannot be guessed: 32 characters (`openssl rand -hex 32` gives 64). */
export const MIN_MARKER_KEY_LENGTH = 32;

/** Thrown when the bot cannot run safely with the environment it was given. */
export class SettingsError extends Error {}

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v.length > 0);

/** `owner/repo=secret,owner/repo=other` → map of lower-case repo → secrets (several while rotating). */
export function repoSecretMap(value: string | undefined, name: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const entry of list(value)) {
    const at = entry.indexOf('=');
    const repo = entry.slice(0, at).trim().toLowerCase();
    const secret = entry.slice(at + 1).trim();
    if (at <= 0 || !/^[^/\s]+\/[^/\s]+$/.test(repo) || secret === '') {
      // The entry is not echoed: it holds a secret.
      throw new SettingsError(`${name}: every entry must be owner/repo=secret`);
    }
    out.set(repo, [...(out.get(repo) ?? []), secret]);
  }
  return out;
}

function positiveInteger(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new Error(`${name} must be a positive integer, got ${JSON.stringify(value)}`);
  return n;
}

const DEFAULT_HEALTH_TIMEOUT_MS = 5_000;

/** A bad value falls back to the default rather than stopping the bot (and the default is safe). */
function healthTimeout(value: string | undefined): number {
  const text = value?.trim();
  if (!text || !DURATION_PATTERN.test(text)) return DEFAULT_HEALTH_TIMEOUT_MS;
  const ms = parseDuration(text);
  return ms > 0 ? ms : DEFAULT_HEALTH_TIMEOUT_MS;
}

export function readBotSettings(env: Record<string, string | undefined>): BotSettings {
  const secret = env.FAILOVER_ALERT_HMAC_SECRET?.trim();
  const maxAge = env.FAILOVER_MESSAGE_MAX_AGE?.trim();
  return {
    alertTokens: list(env.FAILOVER_ALERT_TOKENS),
    hmacSecret: secret ? secret : undefined,
    snsTopics: list(env.FAILOVER_SNS_TOPICS),
    markerKeys: readMarkerKeys(env),
    messageMaxAgeMs: maxAge ? parseDuration(maxAge) : DEFAULT_MESSAGE_MAX_AGE_MS,
    grafanaSecrets: repoSecretMap(env.FAILOVER_GRAFANA_HMAC_SECRETS, 'FAILOVER_GRAFANA_HMAC_SECRETS'),
    grafanaTimestampHeader: (
      env.FAILOVER_GRAFANA_TIMESTAMP_HEADER?.trim() || DEFAULT_GRAFANA_TIMESTAMP_HEADER
    ).toLowerCase(),
    pagerdutySecrets: repoSecretMap(env.FAILOVER_PAGERDUTY_SECRETS, 'FAILOVER_PAGERDUTY_SECRETS'),
    maxBodyBytesInFlight:
      positiveInteger(env.FAILOVER_MAX_BODY_BYTES_IN_FLIGHT, 'FAILOVER_MAX_BODY_BYTES_IN_FLIGHT') ??
      MAX_BODY_BYTES_IN_FLIGHT,
    metricsPort: positiveInteger(env.METRICS_PORT, 'METRICS_PORT'),
    metricsHost: env.METRICS_HOST?.trim() || undefined,
    healthTimeoutMs: healthTimeout(env.FAILOVER_HEALTH_TIMEOUT),
  };
}

/**
 * Without a marker key the bot could not tell its own failover PRs from copies anyone can type, so it
 * refuses to start rather than run with history and results it cannot trust.
 */
function readMarkerKeys(env: Record<string, string | undefined>): MarkerKeys {
  const current = env.FAILOVER_MARKER_KEY?.trim() ?? '';
  const previous = list(env.FAILOVER_MARKER_KEY_PREVIOUS);
  if (current.length === 0)
    throw new SettingsError(
      'FAILOVER_MARKER_KEY is not set: the bot signs the marker of every PR it opens with it (generate one with `openssl rand -hex 32`; see docs/bot.md)',
    );
  for (const [name, key] of [
    ['FAILOVER_MARKER_KEY', current],
    ...previous.map((k) => ['FAILOVER_MARKER_KEY_PREVIOUS', k]),
  ] as const) {
    if (key.length < MIN_MARKER_KEY_LENGTH)
      throw new SettingsError(
        `${name} is too short: at least ${MIN_MARKER_KEY_LENGTH} characters (\`openssl rand -hex 32\`)`,
      );
  }
  return { current, previous };
}

/**
 * Every value of the bot's environment that must never be written to a log or posted to GitHub: the
 * alert tokens and HMAC secrets, Probot's WEBHOOK_SECRET and PRIVATE_KEY, and any other variable whose
 * name looks secret. The logger and the GitHub client both redact with it.
 */
export function botSecrets(env: Record<string, string | undefined>): SecretRegistry {
  const secrets = new SecretRegistry();
  for (const value of secretsFromEnvironment(env)) secrets.add(value);
  for (const token of list(env.FAILOVER_ALERT_TOKENS)) secrets.add(token);
  secrets.add(env.FAILOVER_ALERT_HMAC_SECRET);
  secrets.add(env.FAILOVER_MARKER_KEY);
  for (const key of list(env.FAILOVER_MARKER_KEY_PREVIOUS)) secrets.add(key);
  for (const name of ['FAILOVER_GRAFANA_HMAC_SECRETS', 'FAILOVER_PAGERDUTY_SECRETS']) {
    for (const entry of list(env[name])) secrets.add(entry.slice(entry.indexOf('=') + 1));
  }
  secrets.add(env.WEBHOOK_SECRET);
  // Probot accepts the key with literal "\n" escapes in one line; both spellings are registered.
  secrets.add(env.PRIVATE_KEY);
  secrets.add(env.PRIVATE_KEY?.replaceAll('\\n', '\n'));
  return secrets;
}
