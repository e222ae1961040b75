// AWS SNS HTTP(S) deliveries carrying CloudWatch alarms. The envelope's signature is checked by the bot
// (see snsStringToSign); this module only reads what the message says.
import type { NormalisedNotification } from '../types.js';
import { isAlarmStateChangeEvent, readAlarmStateChangeEvent } from './cloudwatch-event.js';
import { type AlarmFacts, alarmNotification, readAlarmState, readTags } from './cloudwatch-signal.js';
import { describeType, indexPath, isRecord, type JsonRecord, own, PayloadReader, preview } from './read.js';

export function normaliseSns(bodyValue: unknown): NormalisedNotification {
  const reader: PayloadReader = new PayloadReader('sns');
  const body = reader.record(bodyValue, '');
  // Raw message delivery or an EventBridge target: the body is the alarm itself, without the envelope.
  if (own(body, 'Type') === undefined) {
    if (looksLikeAlarm(body)) return alarmNotification(readAlarmMessage(reader, body, '', undefined));
    if (isAlarmStateChangeEvent(body))
      return alarmNotification(readAlarmStateChangeEvent(reader, body, '', undefined));
  }
  const type = reader.string(own(body, 'Type'), 'Type');
  if (type === 'SubscriptionConfirmation' || type === 'UnsubscribeConfirmation') {
    const topicArn = reader.nonEmptyString(own(body, 'TopicArn'), 'TopicArn');
    const subscribeUrl = reader.nonEmptyString(own(body, 'SubscribeURL'), 'SubscribeURL');
    return { source: 'sns', signals: [], ignored: [], subscription: { type, topicArn, subscribeUrl } };
  }
  if (type !== 'Notification') {
    reader.fail(
      'Type',
      `must be one of Notification, SubscriptionConfirmation, UnsubscribeConfirmation, got ${preview(type)}`,
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
  if (looksLikeAlarm(parsed)) return alarmNotification(readAlarmMessage(reader, parsed, 'Message', body));
  if (isAlarmStateChangeEvent(parsed))
    return alarmNotification(readAlarmStateChangeEvent(reader, parsed, 'Message', body));
  const kind = isRecord(parsed) ? own(parsed, 'detail-type') : undefined;
  const what = typeof kind === 'string' ? ` (an EventBridge ${preview(kind)})` : '';
  return notActionable(`sns: the message on ${topic} is not a CloudWatch alarm${what}; nothing to do`);
}

function notActionable(reason: string): NormalisedNotification {
  return { source: 'sns', signals: [], ignored: [{ reason }] };
}

function looksLikeAlarm(value: unknown): value is JsonRecord {
  return (
    isRecord(value) && (own(value, 'AlarmName') !== undefined || own(value, 'NewStateValue') !== undefined)
  );
}

/** The classic alarm message CloudWatch publishes to SNS (AlarmName, NewStateValue, Trigger, …). */
function readAlarmMessage(
  reader: PayloadReader,
  alarm: JsonRecord,
  base: string,
  envelope: JsonRecord | undefined,
): AlarmFacts {
  const at = (key: string) => (base ? `${base}.${key}` : key);
  const text = (key: string) => reader.optionalString(own(alarm, key), at(key));
  const name = reader.nonEmptyString(own(alarm, 'AlarmName'), at('AlarmName'));
  const state = readAlarmState(reader, own(alarm, 'NewStateValue'), at('NewStateValue'));
  const changeTime = own(alarm, 'StateChangeTime');
  const envelopeTime = envelope ? own(envelope, 'Timestamp') : undefined;
  const time =
    changeTime === undefined && envelopeTime !== undefined
      ? reader.startTime(envelopeTime, 'Timestamp')
      : reader.startTime(changeTime, at('StateChangeTime'));
  const facts: AlarmFacts = {
    name,
    state,
    time,
    alarmArn: text('AlarmArn'),
    regionName: text('Region'),
    account: text('AWSAccountId'),
    description: text('AlarmDescription'),
    reason: text('NewStateReason'),
    oldState: text('OldStateValue'),
    dimensions: [],
    tags: readTags(own(alarm, 'AlarmTags')),
  };
  if (envelope) {
    facts.topicArn = reader.optionalString(own(envelope, 'TopicArn'), 'TopicArn');
    facts.summary = reader.optionalString(own(envelope, 'Subject'), 'Subject');
  }
  readTrigger(reader, own(alarm, 'Trigger'), at('Trigger'), facts);
  return facts;
}

/** Single-metric alarms put the metric on Trigger; metric-math and anomaly alarms list Trigger.Metrics[]. */
function readTrigger(reader: PayloadReader, value: unknown, where: string, facts: AlarmFacts): void {
  if (value === undefined || value === null) return;
  const trigger = reader.record(value, where);
  facts.namespace = reader.optionalString(own(trigger, 'Namespace'), `${where}.Namespace`);
  facts.metric = reader.optionalString(own(trigger, 'MetricName'), `${where}.MetricName`);
  readDimensions(reader, own(trigger, 'Dimensions'), `${where}.Dimensions`, facts.dimensions);
  const metrics = own(trigger, 'Metrics');
  if (metrics === undefined || metrics === null) return;
  reader.array(metrics, `${where}.Metrics`).forEach((entry, i) => {
    const metricWhere = indexPath(`${where}.Metrics`, i);
    const stat = own(reader.record(entry, metricWhere), 'MetricStat');
    if (stat === undefined || stat === null) return; // an expression such as ANOMALY_DETECTION_BAND(m1)
    const statWhere = `${metricWhere}.MetricStat.Metric`;
    const metric = reader.record(own(reader.record(stat, `${metricWhere}.MetricStat`), 'Metric'), statWhere);
    facts.namespace ??= reader.optionalString(own(metric, 'Namespace'), `${statWhere}.Namespace`);
    facts.metric ??= reader.optionalString(own(metric, 'MetricName'), `${statWhere}.MetricName`);
    readDimensions(reader, own(metric, 'Dimensions'), `${statWhere}.Dimensions`, facts.dimensions);
  });
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
      const problem =
        dimValue === undefined ? 'is missing' : `must be a string, got ${describeType(dimValue)}`;
      reader.fail(`${dimWhere}.${valueKey}`, problem);
    }
    into.push([name, dimValue]);
  });
}
