// Freshness and identity of notifications whose senders sign the body but not the time of sending in a
// header: SNS (Timestamp and MessageId inside the signed envelope) and PagerDuty v3 (event.occurred_at and
// event.id inside the signed body). A message is acted on only while it is young enough, and each id only
// once within that window (see ReplayGuard: committed only when the answer was 2xx, so retries work).
import type { SnsEnvelope } from './sns-verify.js';

/** How old a signed message may be (SNS Timestamp, PagerDuty occurred_at): 1 hour unless configured. */
export const DEFAULT_MESSAGE_MAX_AGE_MS = 60 * 60_000;

export type Freshness =
  | { ok: true; replayKey: string; replayUntilMs: number }
  | { ok: false; status: 400 | 403; message: string };

/** Inside [now - maxAge, now + maxAge]: a clock running ahead is as suspicious as a stale capture. */
function judgeTime(
  raw: unknown,
  what: string,
  nowMs: number,
  maxAgeMs: number,
): { ms: number } | { status: 400 | 403; message: string } {
  const ms = typeof raw === 'string' ? Date.parse(raw) : Number.NaN;
  if (!Number.isFinite(ms)) return { status: 400, message: `${what} is not a time` };
  if (Math.abs(nowMs - ms) > maxAgeMs) {
    const minutes = Math.round(maxAgeMs / 60_000);
    return {
      status: 403,
      message: `${what} is outside the ${minutes}-minute window: a stale or replayed message`,
    };
  }
  return { ms };
}

/** SNS Notification: an allow-listed topic, a recent Timestamp, and a MessageId not handled before. */
export function judgeSnsNotification(
  env: SnsEnvelope,
  policy: { topics: readonly string[]; maxAgeMs: number },
  nowMs: number,
): Freshness {
  if (!policy.topics.includes(env.TopicArn)) {
    return {
      ok: false,
      status: 403,
      message: `topic ${env.TopicArn} is not allow-listed (FAILOVER_SNS_TOPICS)`,
    };
  }
  const time = judgeTime(env.Timestamp, 'SNS Timestamp', nowMs, policy.maxAgeMs);
  if ('status' in time) return { ok: false, ...time };
  return {
    ok: true,
    replayKey: `sns:${env.TopicArn}:${env.MessageId}`,
    replayUntilMs: time.ms + policy.maxAgeMs,
  };
}

/**
 * The Notification as SNS signed it, and nothing else: fields placed beside the signed ones (`status`,
 * `labels`, `alerts`) are dropped, so they cannot become the alert.
 */
export function signedNotificationBody(env: SnsEnvelope): Record<string, string> {
  const body: Record<string, string> = {
    Type: env.Type,
    MessageId: env.MessageId,
    TopicArn: env.TopicArn,
    Message: env.Message,
    Timestamp: env.Timestamp,
  };
  if (typeof env.Subject === 'string') body.Subject = env.Subject;
  return body;
}

/** PagerDuty v3: a recent event.occurred_at and an event.id not handled before. */
export function judgePagerDutyEvent(body: unknown, maxAgeMs: number, nowMs: number): Freshness {
  const event =
    typeof body === 'object' && body !== null && Object.hasOwn(body, 'event')
      ? (body as { event: unknown }).event
      : undefined;
  if (typeof event !== 'object' || event === null)
    return { ok: false, status: 400, message: 'pagerduty: body has no event' };
  const id = Object.hasOwn(event, 'id') ? (event as { id: unknown }).id : undefined;
  if (typeof id !== 'string' || id === '')
    return { ok: false, status: 400, message: 'pagerduty: event.id is missing' };
  const occurred = Object.hasOwn(event, 'occurred_at')
    ? (event as { occurred_at: unknown }).occurred_at
    : undefined;
  const time = judgeTime(occurred, 'PagerDuty event.occurred_at', nowMs, maxAgeMs);
  if ('status' in time) return { ok: false, ...time };
  return { ok: true, replayKey: `pagerduty:${id}`, replayUntilMs: time.ms + maxAgeMs };
}
