// The only place the bot's own settings are read from the environment (Probot reads APP_ID, PRIVATE_KEY,
// WEBHOOK_SECRET, PORT, GHE_HOST itself). Everything below bot/ receives these values as arguments.

export interface BotSettings {
  /** FAILOVER_ALERT_TOKENS, comma-separated: several at once while rotating. */
  alertTokens: string[];
  /** FAILOVER_ALERT_HMAC_SECRET. */
  hmacSecret?: string | undefined;
  /** FAILOVER_SNS_TOPICS, comma-separated topic ARNs whose subscriptions the bot confirms. */
  snsTopics: string[];
}

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v.length > 0);

export function readBotSettings(env: Record<string, string | undefined>): BotSettings {
  const secret = env.FAILOVER_ALERT_HMAC_SECRET?.trim();
  return {
    alertTokens: list(env.FAILOVER_ALERT_TOKENS),
    hmacSecret: secret ? secret : undefined,
    snsTopics: list(env.FAILOVER_SNS_TOPICS),
  };
}
