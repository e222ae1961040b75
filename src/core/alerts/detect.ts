// Which source sent this body, decided from its shape alone (the bot's `?source=` overrides it).
import { PayloadError } from '../errors.js';
import { ALERT_SOURCES, type AlertSource } from '../types.js';
import { looksLikeAzureMonitor } from './azure.js';
import { describeType, isRecord, type JsonRecord, own, preview } from './read.js';

const SUPPORTED = `supported sources: ${ALERT_SOURCES.join(', ')} (see docs/alert-sources.md)`;
const ALERTMANAGER_KEYS = [
  'version',
  'receiver',
  'groupKey',
  'groupLabels',
  'commonLabels',
  'commonAnnotations',
  'externalURL',
];
const GRAFANA_ALERT_KEYS = ['silenceURL', 'dashboardURL', 'panelURL', 'imageURL', 'valueString', 'values'];
/** Enough alerts to recognise Grafana's per-alert fields without walking a huge list. */
const ALERTS_INSPECTED = 20;

export function parseAlertSource(value: unknown): AlertSource {
  const found = ALERT_SOURCES.find((source) => source === value);
  if (found === undefined) throw new PayloadError(`unknown source ${preview(value)}; ${SUPPORTED}`);
  return found;
}

export function detectSource(body: unknown): AlertSource {
  if (!isRecord(body)) {
    throw new PayloadError(
      `cannot tell the alert source: the body must be a JSON object, got ${describeType(body)}; ${SUPPORTED}`,
    );
  }
  if (isSnsEnvelope(body) || isCloudWatchAlarm(body)) return 'sns';
  const event = own(body, 'event');
  if (isRecord(event) && own(event, 'event_type') !== undefined) return 'pagerduty';
  if (isPagerDutyV2(body)) return 'pagerduty'; // its normaliser explains that v2 is not supported
  if (looksLikeAzureMonitor(body)) return 'azure'; // older Azure schemas too: explained there
  if (own(body, 'ruleName') !== undefined && own(body, 'evalMatches') !== undefined) return 'grafana'; // legacy, explained there
  const alerts = own(body, 'alerts');
  if (Array.isArray(alerts)) {
    if (isGrafana(body, alerts)) return 'grafana';
    if (ALERTMANAGER_KEYS.some((key) => own(body, key) !== undefined)) return 'alertmanager';
    return 'generic';
  }
  if (own(body, 'status') !== undefined && own(body, 'labels') !== undefined) return 'generic';
  const keys = Object.keys(body);
  const shown =
    keys.length === 0
      ? 'no keys'
      : `keys ${keys
          .slice(0, 8)
          .map((k) => preview(k))
          .join(', ')}${keys.length > 8 ? ', …' : ''}`;
  throw new PayloadError(
    `cannot tell the alert source: the body has ${shown} and no "alerts" array, SNS "Type", PagerDuty "event", Azure Monitor "schemaId" or generic "status"+"labels"; ${SUPPORTED}`,
  );
}

/** SNS raw delivery of an alarm message, or an EventBridge alarm event posted directly. */
function isCloudWatchAlarm(body: JsonRecord): boolean {
  if (own(body, 'AlarmName') !== undefined && own(body, 'NewStateValue') !== undefined) return true;
  return own(body, 'detail-type') === 'CloudWatch Alarm State Change';
}

function isSnsEnvelope(body: JsonRecord): boolean {
  const type = own(body, 'Type');
  return (
    typeof type === 'string' && (own(body, 'TopicArn') !== undefined || own(body, 'MessageId') !== undefined)
  );
}

function isPagerDutyV2(body: JsonRecord): boolean {
  const messages = own(body, 'messages');
  if (!Array.isArray(messages) || messages.length === 0) return false;
  const first: unknown = messages[0];
  return isRecord(first) && typeof first.event === 'string' && first.event.startsWith('incident.');
}

function isGrafana(body: JsonRecord, alerts: unknown[]): boolean {
  if (own(body, 'orgId') !== undefined) return true;
  if (own(body, 'title') !== undefined && own(body, 'state') !== undefined) return true;
  return alerts
    .slice(0, ALERTS_INSPECTED)
    .some((alert) => isRecord(alert) && GRAFANA_ALERT_KEYS.some((key) => own(alert, key) !== undefined));
}
