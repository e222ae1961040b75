// AWS SNS HTTP(S) deliveries carrying CloudWatch alarms. The envelope's signature is checked by the bot
// (see snsStringToSign); this module only reads what the message says.
import type { NormalisedNotification, Signal } from '../types.js';
import { awsRegionCode, parseArn } from './aws-regions.js';
import { fnv1a64 } from './fingerprint.js';
import {
  addIfAbsent,
  describeType,
  indexPath,
  isRecord,
  type JsonRecord,
  own,
  PayloadReader,
  preview,
} from './read.js';
import { normaliseSeverity } from './severity.js';

const SUBSCRIPTION_TYPES = ['SubscriptionConfirmation', 'UnsubscribeConfirmation'] as const;

export function normaliseSns(bodyValue: unknown): NormalisedNotification {
  const reader: PayloadReader = new PayloadReader('sns');
  const body = reader.record(bodyValue, '');
  // Raw message delivery: the body is the alarm itself, without the SNS envelope.
  if (own(body, 'Type') === undefined && looksLikeAlarm(body)) return readAlarm(reader, body, '', undefined);
  const type = reader.string(own(body, 'Type'), 'Type');
  if (type === 'SubscriptionConfirmation' || type === 'UnsubscribeConfirmation') {
    const topicArn = reader.nonEmptyString(own(body, 'TopicArn'), 'TopicArn');
    const subscribeUrl = reader.nonEmptyString(own(body, 'SubscribeURL'), 'SubscribeURL');
    return { source: 'sns', signals: [], ignored: [], subscription: { type, topicArn, subscribeUrl } };
  }
  if (type !== 'Notification') {
    reader.fail(
      'Type',
      `must be one of Notification, ${SUBSCRIPTION_TYPES.join(', ')}, got ${preview(type)}`,
    );
  }
  const message = reader.string(own(body, 'Message'), 'Message');
  const topic = reader.optionalString(own(body, 'TopicArn'), 'TopicArn') ?? 'an unnamed topic';
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    return notActionable(
      `sns: the message on ${topic} is not JSON, so it is not a CloudWatch alarm; nothing to do`,
    );
  }
  if (!looksLikeAlarm(parsed)) {
    const what =
      isRecord(parsed) && typeof parsed['detail-type'] === 'string'
        ? ` (an EventBridge "${parsed['detail-type']}")`
        : '';
    return notActionable(`sns: the message on ${topic} is not a CloudWatch alarm${what}; nothing to do`);
  }
  return readAlarm(reader, parsed, 'Message', body);
}

function notActionable(reason: string): NormalisedNotification {
  return { source: 'sns', signals: [], ignored: [{ reason }] };
}

function looksLikeAlarm(value: unknown): value is JsonRecord {
  return (
    isRecord(value) && (own(value, 'AlarmName') !== undefined || own(value, 'NewStateValue') !== undefined)
  );
}

function readAlarm(
  reader: PayloadReader,
  alarm: JsonRecord,
  base: string,
  envelope: JsonRecord | undefined,
): NormalisedNotification {
  const at = (key: string) => (base ? `${base}.${key}` : key);
  const name = reader.nonEmptyString(own(alarm, 'AlarmName'), at('AlarmName'));
  const state = reader.string(own(alarm, 'NewStateValue'), at('NewStateValue'));
  if (state === 'INSUFFICIENT_DATA') {
    return notActionable(
      `sns: alarm "${name}" went to INSUFFICIENT_DATA, which says nothing about health; ignored`,
    );
  }
  if (state !== 'ALARM' && state !== 'OK') {
    reader.fail(at('NewStateValue'), `must be ALARM, OK or INSUFFICIENT_DATA, got ${preview(state)}`);
  }
  const status: Signal['status'] = state === 'ALARM' ? 'firing' : 'resolved';
  const changeTime = own(alarm, 'StateChangeTime');
  const envelopeTime = envelope ? own(envelope, 'Timestamp') : undefined;
  const time =
    changeTime === undefined && envelopeTime !== undefined
      ? reader.startTime(envelopeTime, 'Timestamp')
      : reader.startTime(changeTime, at('StateChangeTime'));

  const alarmArn = reader.optionalString(own(alarm, 'AlarmArn'), at('AlarmArn'));
  const topicArn = envelope ? reader.optionalString(own(envelope, 'TopicArn'), 'TopicArn') : undefined;
  const regionName = reader.optionalString(own(alarm, 'Region'), at('Region'));
  const fromArn = alarmArn ? parseArn(alarmArn) : undefined;
  const fromTopic = topicArn ? parseArn(topicArn) : undefined;
  // The alarm's own ARN is exact; the region name is mapped; an alarm can only notify a topic in its region.
  const region =
    fromArn?.region || (regionName && awsRegionCode(regionName)) || fromTopic?.region || undefined;
  const account =
    reader.optionalString(own(alarm, 'AWSAccountId'), at('AWSAccountId')) ??
    (fromArn?.account || fromTopic?.account || undefined);

  const labels: Record<string, string> = { alertname: name };
  addIfAbsent(labels, 'region', region);
  addIfAbsent(labels, 'account', account);
  const metric = readTrigger(reader, own(alarm, 'Trigger'), at('Trigger'));
  addIfAbsent(labels, 'namespace', metric.namespace);
  addIfAbsent(labels, 'metric', metric.metric);
  for (const [dimension, value] of metric.dimensions) addIfAbsent(labels, dimension, value);
  const description = reader.optionalString(own(alarm, 'AlarmDescription'), at('AlarmDescription'));
  addIfAbsent(labels, 'severity', description ? severityFromText(description) : undefined);

  const annotations: Record<string, string> = {};
  const subject = envelope ? reader.optionalString(own(envelope, 'Subject'), 'Subject') : undefined;
  addIfAbsent(annotations, 'summary', subject ?? `${name}: ${state}`);
  addIfAbsent(annotations, 'description', description);
  addIfAbsent(
    annotations,
    'reason',
    reader.optionalString(own(alarm, 'NewStateReason'), at('NewStateReason')),
  );
  addIfAbsent(
    annotations,
    'old_state',
    reader.optionalString(own(alarm, 'OldStateValue'), at('OldStateValue')),
  );
  addIfAbsent(annotations, 'region_name', regionName);
  addIfAbsent(annotations, 'alarm_arn', alarmArn);
  addIfAbsent(annotations, 'topic_arn', topicArn);

  // Identity across ALARM → OK: the alarm ARN, or what makes an alarm unique without it.
  const identity = alarmArn ?? `cloudwatch:${account ?? ''}:${region ?? regionName ?? ''}:${name}`;
  const signal: Signal = {
    source: 'sns',
    status,
    labels,
    annotations,
    startsAt: time,
    fingerprint: fnv1a64(identity),
  };
  if (status === 'resolved') signal.endsAt = time;
  if (region) {
    signal.url = `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#alarmsV2:alarm/${encodeURIComponent(name)}`;
  }
  return { source: 'sns', signals: [signal], ignored: [] };
}

interface MetricInfo {
  namespace?: string;
  metric?: string;
  dimensions: [string, string][];
}

/** Single-metric alarms put the metric on Trigger; metric-math and anomaly alarms list Trigger.Metrics[]. */
function readTrigger(reader: PayloadReader, value: unknown, where: string): MetricInfo {
  const info: MetricInfo = { dimensions: [] };
  if (value === undefined || value === null) return info;
  const trigger = reader.record(value, where);
  info.namespace = reader.optionalString(own(trigger, 'Namespace'), `${where}.Namespace`);
  info.metric = reader.optionalString(own(trigger, 'MetricName'), `${where}.MetricName`);
  readDimensions(reader, own(trigger, 'Dimensions'), `${where}.Dimensions`, info.dimensions);
  const metrics = own(trigger, 'Metrics');
  if (metrics === undefined || metrics === null) return info;
  reader.array(metrics, `${where}.Metrics`).forEach((entry, i) => {
    const metricWhere = indexPath(`${where}.Metrics`, i);
    const stat = own(reader.record(entry, metricWhere), 'MetricStat');
    if (stat === undefined || stat === null) return; // an expression such as ANOMALY_DETECTION_BAND(m1)
    const metricValue = own(reader.record(stat, `${metricWhere}.MetricStat`), 'Metric');
    const metric = reader.record(metricValue, `${metricWhere}.MetricStat.Metric`);
    const namespace = reader.optionalString(
      own(metric, 'Namespace'),
      `${metricWhere}.MetricStat.Metric.Namespace`,
    );
    const metricName = reader.optionalString(
      own(metric, 'MetricName'),
      `${metricWhere}.MetricStat.Metric.MetricName`,
    );
    info.namespace ??= namespace;
    info.metric ??= metricName;
    readDimensions(
      reader,
      own(metric, 'Dimensions'),
      `${metricWhere}.MetricStat.Metric.Dimensions`,
      info.dimensions,
    );
  });
  return info;
}

function readDimensions(
  reader: PayloadReader,
  value: unknown,
  where: string,
  into: [string, string][],
): void {
  if (value === undefined || value === null) return;
  reader.array(value, where).forEach((entry, i) => {
    const dimWhere = indexPath(where, i);
    const dim = reader.record(entry, dimWhere);
    // CloudWatch writes {name, value}; some forwarders capitalise them.
    const nameKey = own(dim, 'name') !== undefined ? 'name' : 'Name';
    const valueKey = own(dim, 'value') !== undefined ? 'value' : 'Value';
    const name = reader.nonEmptyString(own(dim, nameKey), `${dimWhere}.${nameKey}`);
    const dimValue = own(dim, valueKey);
    if (typeof dimValue !== 'string') {
      reader.fail(
        `${dimWhere}.${valueKey}`,
        dimValue === undefined ? 'is missing' : `must be a string, got ${describeType(dimValue)}`,
      );
    }
    into.push([name, dimValue]);
  });
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
