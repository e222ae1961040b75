// One CloudWatch alarm state change → one signal, whichever way it arrived (SNS alarm message,
// SNS raw delivery, or an EventBridge "CloudWatch Alarm State Change" event).
import type { NormalisedNotification, Signal } from '../types.js';
import { awsRegionCode, parseArn } from './aws-regions.js';
import { fnv1a64 } from './fingerprint.js';
import { addIfAbsent, isRecord, own, type PayloadReader, preview } from './read.js';
import { normaliseSeverity } from './severity.js';

export type AlarmState = 'ALARM' | 'OK' | 'INSUFFICIENT_DATA';

/** What every alarm format tells us, already validated by the format's reader. */
export interface AlarmFacts {
  name: string;
  state: AlarmState;
  /** ISO UTC of the state change. */
  time: string;
  alarmArn?: string;
  /** A region code, when the format gives one directly. */
  region?: string;
  /** CloudWatch's words for the region ("EU (Ireland)"). */
  regionName?: string;
  account?: string;
  namespace?: string;
  metric?: string;
  dimensions: [string, string][];
  tags: [string, string][];
  description?: string;
  reason?: string;
  oldState?: string;
  summary?: string;
  topicArn?: string;
}

export function readAlarmState(reader: PayloadReader, value: unknown, where: string): AlarmState {
  const state = reader.string(value, where);
  if (state === 'ALARM' || state === 'OK' || state === 'INSUFFICIENT_DATA') return state;
  reader.fail(where, `must be ALARM, OK or INSUFFICIENT_DATA, got ${preview(state)}`);
}

export function alarmNotification(facts: AlarmFacts): NormalisedNotification {
  if (facts.state === 'INSUFFICIENT_DATA') {
    const reason = `sns: alarm "${facts.name}" went to INSUFFICIENT_DATA, which says nothing about health; ignored`;
    return { source: 'sns', signals: [], ignored: [{ reason }] };
  }
  const fromArn = facts.alarmArn ? parseArn(facts.alarmArn) : undefined;
  const fromTopic = facts.topicArn ? parseArn(facts.topicArn) : undefined;
  // The alarm's own ARN is exact; the region name is mapped; an alarm can only notify a topic in its region.
  const region =
    fromArn?.region ||
    facts.region ||
    (facts.regionName && awsRegionCode(facts.regionName)) ||
    fromTopic?.region ||
    undefined;
  const account = facts.account || fromArn?.account || fromTopic?.account || undefined;

  const labels: Record<string, string> = { alertname: facts.name };
  addIfAbsent(labels, 'region', region);
  addIfAbsent(labels, 'account', account);
  addIfAbsent(labels, 'namespace', facts.namespace);
  addIfAbsent(labels, 'metric', facts.metric);
  const severityTag = facts.tags.find(([key]) => key.toLowerCase() === 'severity')?.[1];
  const severity =
    (severityTag && normaliseSeverity(severityTag)) ||
    (facts.description && severityFromText(facts.description));
  addIfAbsent(labels, 'severity', severity || undefined);
  // Tags are what the team chose to route by; dimensions describe the metric. Neither overwrites the above.
  for (const [key, value] of facts.tags) addIfAbsent(labels, key, value);
  for (const [key, value] of facts.dimensions) addIfAbsent(labels, key, value);

  const annotations: Record<string, string> = {};
  addIfAbsent(annotations, 'summary', facts.summary ?? `${facts.name}: ${facts.state}`);
  addIfAbsent(annotations, 'description', facts.description);
  addIfAbsent(annotations, 'reason', facts.reason);
  addIfAbsent(annotations, 'old_state', facts.oldState);
  addIfAbsent(annotations, 'region_name', facts.regionName);
  addIfAbsent(annotations, 'alarm_arn', facts.alarmArn);
  addIfAbsent(annotations, 'topic_arn', facts.topicArn);

  const status: Signal['status'] = facts.state === 'ALARM' ? 'firing' : 'resolved';
  // Identity across ALARM → OK: the alarm ARN, or what makes an alarm unique without it.
  const identity =
    facts.alarmArn ?? `cloudwatch:${account ?? ''}:${region ?? facts.regionName ?? ''}:${facts.name}`;
  const signal: Signal = {
    source: 'sns',
    status,
    labels,
    annotations,
    startsAt: facts.time,
    fingerprint: fnv1a64(identity),
  };
  if (status === 'resolved') signal.endsAt = facts.time;
  if (region) {
    const name = encodeURIComponent(facts.name);
    signal.url = `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#alarmsV2:alarm/${name}`;
  }
  return { source: 'sns', signals: [signal], ignored: [] };
}

const SEVERITY_IN_TEXT = /\bseverity\s*[:=]\s*["']?([a-z0-9_-]+)/i;
const BRACKETED = /\[([a-z0-9_-]+)\]/gi;

/** "severity: critical" or a bracketed word like "[P1]" in the alarm description. */
function severityFromText(text: string): string | undefined {
  const named = SEVERITY_IN_TEXT.exec(text);
  if (named?.[1]) return normaliseSeverity(named[1]);
  for (const match of text.matchAll(BRACKETED)) {
    const severity = match[1] ? normaliseSeverity(match[1]) : undefined;
    if (severity) return severity;
  }
  return undefined;
}

/**
 * Alarm tags, when the alarm propagates them: a key → value map, or a list of {Key, Value}. Tags are
 * optional context, so entries that are not strings are skipped rather than refused.
 */
export function readTags(value: unknown): [string, string][] {
  if (isRecord(value)) {
    return Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
  }
  if (!Array.isArray(value)) return [];
  const tags: [string, string][] = [];
  for (const item of value) {
    if (!isRecord(item)) continue;
    const key = own(item, 'Key') ?? own(item, 'key');
    const tagValue = own(item, 'Value') ?? own(item, 'value');
    if (typeof key === 'string' && key !== '' && typeof tagValue === 'string') tags.push([key, tagValue]);
  }
  return tags;
}
