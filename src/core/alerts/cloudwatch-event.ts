// EventBridge "CloudWatch Alarm State Change" events, as delivered by an SNS topic that an EventBridge
// rule targets (or posted directly by an API destination). Same alarm, different field names.
import { type AlarmFacts, readAlarmState, readTags } from './cloudwatch-signal.js';
import { indexPath, isRecord, type JsonRecord, own, type PayloadReader } from './read.js';

const DETAIL_TYPE = 'CloudWatch Alarm State Change';

export function isAlarmStateChangeEvent(value: unknown): value is JsonRecord {
  return isRecord(value) && own(value, 'detail-type') === DETAIL_TYPE;
}

export function readAlarmStateChangeEvent(
  reader: PayloadReader,
  event: JsonRecord,
  base: string,
  envelope: JsonRecord | undefined,
): AlarmFacts {
  const at = (key: string) => (base ? `${base}.${key}` : key);
  const detail = reader.record(own(event, 'detail'), at('detail'));
  const name = reader.nonEmptyString(own(detail, 'alarmName'), at('detail.alarmName'));
  const state = reader.record(own(detail, 'state'), at('detail.state'));
  const value = readAlarmState(reader, own(state, 'value'), at('detail.state.value'));
  const stamp = own(state, 'timestamp');
  const time =
    stamp === undefined
      ? reader.startTime(own(event, 'time'), at('time'))
      : reader.startTime(stamp, at('detail.state.timestamp'));
  const resources = own(event, 'resources');
  const alarmArn = Array.isArray(resources)
    ? resources.find(
        (r): r is string => typeof r === 'string' && r.startsWith('arn:') && r.includes(':alarm:'),
      )
    : undefined;
  const previous = own(detail, 'previousState');
  const facts: AlarmFacts = {
    name,
    state: value,
    time,
    alarmArn,
    region: reader.optionalString(own(event, 'region'), at('region')),
    account: reader.optionalString(own(event, 'account'), at('account')),
    reason: reader.optionalString(own(state, 'reason'), at('detail.state.reason')),
    oldState: isRecord(previous) && typeof previous.value === 'string' ? previous.value : undefined,
    dimensions: [],
    tags: readTags(own(detail, 'alarmTags')),
  };
  if (envelope) {
    facts.topicArn = reader.optionalString(own(envelope, 'TopicArn'), 'TopicArn');
    facts.summary = reader.optionalString(own(envelope, 'Subject'), 'Subject');
  }
  const configValue = own(detail, 'configuration');
  if (configValue === undefined || configValue === null) return facts;
  const config = reader.record(configValue, at('detail.configuration'));
  facts.description = reader.optionalString(
    own(config, 'description'),
    at('detail.configuration.description'),
  );
  const metrics = own(config, 'metrics');
  if (metrics === undefined || metrics === null) return facts;
  reader.array(metrics, at('detail.configuration.metrics')).forEach((entry, i) => {
    const where = indexPath(at('detail.configuration.metrics'), i);
    const stat = own(reader.record(entry, where), 'metricStat');
    if (stat === undefined || stat === null) return; // a math expression
    const metricWhere = `${where}.metricStat.metric`;
    const metric = reader.record(own(reader.record(stat, `${where}.metricStat`), 'metric'), metricWhere);
    facts.namespace ??= reader.optionalString(own(metric, 'namespace'), `${metricWhere}.namespace`);
    facts.metric ??= reader.optionalString(own(metric, 'name'), `${metricWhere}.name`);
    const dimensions = own(metric, 'dimensions');
    if (dimensions === undefined || dimensions === null) return;
    const map = reader.stringMap(dimensions, `${metricWhere}.dimensions`);
    facts.dimensions.push(...Object.entries(map));
  });
  return facts;
}
