// The only place the bot's own settings are read from the environment (Probot reads APP_ID, PRIVATE_KEY,
// WEBHOOK_SECRET, PORT, GHE_HOST itself). Everything below bot/ receives these values as arguments.
import { DURATION_PATTERN, parseDuration } from '../src/core/duration.js';
import type { MarkerKeys } from '../src/core/render/marker-seal.js';

export interface BotSettings {
  /** FAILOVER_ALERT_TOKENS, comma-separated: several at once while rotating. */
  alertTokens: string[];
  /** FAILOVER_ALERT_HMAC_SECRET. */
  hmacSecret?: string | undefined;
  /** FAILOVER_SNS_TOPICS, comma-separated topic ARNs whose subscriptions the bot confirms. */
  snsTopics: string[];
  /**
   * FAILOVER_MARKER_KEY signs the hidden marker of every PR the bot opens; FAILOVER_MARKER_KEY_PREVIOUS
   * (comma-separated) lists older keys that still verify while a rotation is under way.
   */
  markerKeys: MarkerKeys;
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
  return {
    alertTokens: list(env.FAILOVER_ALERT_TOKENS),
    hmacSecret: secret ? secret : undefined,
    snsTopics: list(env.FAILOVER_SNS_TOPICS),
    markerKeys: readMarkerKeys(env),
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
