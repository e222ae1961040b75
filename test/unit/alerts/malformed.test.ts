// Bodies that are not valid for their source: each gets a PayloadError saying what is wrong and where.
import { describe, expect, it } from 'vitest';
import { detectSource, normaliseNotification } from '../../../src/core/alerts/index.js';
import { PayloadError } from '../../../src/core/errors.js';
import type { AlertSource } from '../../../src/core/types.js';
import { loadFixture } from './load-fixture.js';

type Json = unknown;
// biome-ignore lint/suspicious/noExplicitAny: each case edits fixture JSON freely, that is the point
type Loose = any;
const clone = <T>(value: T): T => structuredClone(value);

/** A fixture with one edit applied, so each case shows the single thing that is wrong. */
function edited(path: string, edit: (body: Record<string, Loose>) => void): Json {
  const body = clone(loadFixture(path)) as Record<string, Loose>;
  edit(body);
  return body;
}

function snsAlarm(edit: (alarm: Record<string, Loose>) => void): Json {
  return edited('sns-cloudwatch/notification-alarm-s3-bucket-size.json', (body) => {
    const alarm = JSON.parse(body.Message);
    edit(alarm);
    body.Message = JSON.stringify(alarm);
  });
}

const AM = 'alertmanager/firing-grouped-3-alerts.json';
const AM_NO_STATUS = 'alertmanager/firing-single-high-memory-load.json';
const GRAFANA = 'grafana/mixed-1-firing-2-resolved-v9.json';
const SNS = 'sns-cloudwatch/notification-alarm-s3-bucket-size.json';
const PD = 'other-alerts/pagerduty-v3-incident-triggered.json';
const AZURE = 'other-alerts/azure-monitor-common-schema-metric-resolved.json';

const cases: [name: string, body: Json, source: AlertSource | undefined, message: string][] = [
  [
    'alerts not an array',
    edited(AM, (b) => {
      b.alerts = {};
    }),
    'alertmanager',
    'alertmanager: alerts must be an array, got an object',
  ],
  [
    'alerts missing',
    edited(AM, (b) => {
      delete b.alerts;
    }),
    'alertmanager',
    'alertmanager: alerts is missing',
  ],
  [
    'labels is an array',
    edited(AM, (b) => {
      b.alerts[2].labels = ['a'];
    }),
    undefined,
    'alertmanager: alerts[2].labels must be an object, got an array',
  ],
  [
    'labels missing',
    edited(AM, (b) => {
      delete b.alerts[1].labels;
    }),
    undefined,
    'alertmanager: alerts[1].labels is missing',
  ],
  [
    'label value is a number',
    edited(AM, (b) => {
      b.alerts[0].labels.severity = 3;
    }),
    undefined,
    'alertmanager: alerts[0].labels.severity must be a string, got a number',
  ],
  [
    'label name with spaces is quoted',
    edited(AM, (b) => {
      b.alerts[0].labels['my label'] = null;
    }),
    undefined,
    'alertmanager: alerts[0].labels["my label"] must be a string, got null',
  ],
  [
    'alert is not an object',
    edited(AM, (b) => {
      b.alerts[1] = 'firing';
    }),
    undefined,
    'alertmanager: alerts[1] must be an object, got a string',
  ],
  [
    'unknown per-alert status',
    edited(AM, (b) => {
      b.alerts[0].status = 'pending';
    }),
    undefined,
    'alertmanager: alerts[0].status must be "firing" or "resolved", got "pending"',
  ],
  [
    'no status anywhere',
    edited(AM_NO_STATUS, (b) => {
      delete b.status;
    }),
    undefined,
    'alertmanager: alerts[0].status is missing and the notification has no status',
  ],
  [
    'bad group status',
    edited(AM, (b) => {
      b.status = 'FIRING';
    }),
    undefined,
    'alertmanager: status must be "firing" or "resolved", got "FIRING"',
  ],
  [
    'startsAt missing',
    edited(AM, (b) => {
      delete b.alerts[0].startsAt;
    }),
    undefined,
    'alertmanager: alerts[0].startsAt is missing',
  ],
  [
    'startsAt not a timestamp',
    edited(AM, (b) => {
      b.alerts[0].startsAt = 'yesterday';
    }),
    undefined,
    'alertmanager: alerts[0].startsAt is not an RFC 3339 timestamp (like 2024-05-01T12:00:00Z), got "yesterday"',
  ],
  [
    'startsAt impossible date',
    edited(AM, (b) => {
      b.alerts[0].startsAt = '2024-02-30T10:00:00Z';
    }),
    undefined,
    'alertmanager: alerts[0].startsAt has a date that does not exist, got "2024-02-30T10:00:00Z"',
  ],
  [
    'startsAt zero time',
    edited(AM, (b) => {
      b.alerts[0].startsAt = '0001-01-01T00:00:00Z';
    }),
    undefined,
    'alertmanager: alerts[0].startsAt is the zero time (0001-01-01), not a real start time',
  ],
  [
    'endsAt a number',
    edited(AM, (b) => {
      b.alerts[0].endsAt = 1700000000;
    }),
    undefined,
    'alertmanager: alerts[0].endsAt must be a string, got a number',
  ],
  [
    'annotations a string',
    edited(AM, (b) => {
      b.alerts[0].annotations = 'x';
    }),
    undefined,
    'alertmanager: alerts[0].annotations must be an object, got a string',
  ],
  [
    'fingerprint a number',
    edited(AM, (b) => {
      b.alerts[2].fingerprint = 12;
    }),
    undefined,
    'alertmanager: alerts[2].fingerprint must be a string, got a number',
  ],
  [
    'grafana labels null',
    edited(GRAFANA, (b) => {
      b.alerts[1].labels = null;
    }),
    undefined,
    'grafana: alerts[1].labels must be an object, got null',
  ],
  [
    'grafana panelURL an object',
    edited(GRAFANA, (b) => {
      b.alerts[0].panelURL = {};
    }),
    undefined,
    'grafana: alerts[0].panelURL must be a string, got an object',
  ],
  [
    'grafana legacy payload',
    { ruleName: 'cpu', evalMatches: [], state: 'alerting' },
    undefined,
    'grafana: body is a legacy Grafana alerting payload (ruleName/evalMatches); use a unified alerting contact point',
  ],
  [
    'sns unknown Type',
    edited(SNS, (b) => {
      b.Type = 'Ping';
    }),
    undefined,
    'sns: Type must be one of Notification, SubscriptionConfirmation, UnsubscribeConfirmation, got "Ping"',
  ],
  [
    'sns Message not a string',
    edited(SNS, (b) => {
      b.Message = { AlarmName: 'x' };
    }),
    undefined,
    'sns: Message must be a string, got an object',
  ],
  [
    'sns subscription without SubscribeURL',
    edited('sns-cloudwatch/subscription-confirmation.json', (b) => {
      delete b.SubscribeURL;
    }),
    undefined,
    'sns: SubscribeURL is missing',
  ],
  [
    'sns alarm with unknown state',
    snsAlarm((a) => {
      a.NewStateValue = 'BROKEN';
    }),
    undefined,
    'sns: Message.NewStateValue must be ALARM, OK or INSUFFICIENT_DATA, got "BROKEN"',
  ],
  [
    'sns alarm without a name',
    snsAlarm((a) => {
      a.AlarmName = '';
    }),
    undefined,
    'sns: Message.AlarmName must not be empty',
  ],
  [
    'sns alarm with a bad dimension',
    snsAlarm((a) => {
      a.Trigger.Dimensions[1].value = 7;
    }),
    undefined,
    'sns: Message.Trigger.Dimensions[1].value must be a string, got a number',
  ],
  [
    'sns alarm with a bad StateChangeTime',
    snsAlarm((a) => {
      a.StateChangeTime = '15/02/2019';
    }),
    undefined,
    'sns: Message.StateChangeTime is not an RFC 3339 timestamp (like 2024-05-01T12:00:00Z), got "15/02/2019"',
  ],
  [
    'sns alarm Trigger an array',
    snsAlarm((a) => {
      a.Trigger = [];
    }),
    undefined,
    'sns: Message.Trigger must be an object, got an array',
  ],
  [
    'pagerduty without event_type',
    edited(PD, (b) => {
      delete b.event.event_type;
    }),
    'pagerduty',
    'pagerduty: event.event_type is missing',
  ],
  [
    'pagerduty data not an object',
    edited(PD, (b) => {
      b.event.data = 'PFQZPSY';
    }),
    undefined,
    'pagerduty: event.data must be an object, got a string',
  ],
  [
    'pagerduty bad occurred_at',
    edited(PD, (b) => {
      b.event.occurred_at = 'soon';
    }),
    undefined,
    'pagerduty: event.occurred_at is not an RFC 3339 timestamp (like 2024-05-01T12:00:00Z), got "soon"',
  ],
  [
    'pagerduty service not a reference',
    edited(PD, (b) => {
      b.event.data.service = 'pig208';
    }),
    undefined,
    'pagerduty: event.data.service must be an object, got a string',
  ],
  [
    'pagerduty v2',
    { messages: [{ event: 'incident.trigger', incident: {} }] },
    undefined,
    'pagerduty: body is a PagerDuty v2 webhook (messages[]); configure a v3 generic webhook subscription',
  ],
  [
    'azure monitorCondition unknown',
    edited(AZURE, (b) => {
      b.data.essentials.monitorCondition = 'Acknowledged';
    }),
    undefined,
    'azure: data.essentials.monitorCondition must be Fired or Resolved, got "Acknowledged"',
  ],
  [
    'azure monitorCondition missing',
    edited(AZURE, (b) => {
      delete b.data.essentials.monitorCondition;
    }),
    'azure',
    'azure: data.essentials.monitorCondition is missing',
  ],
  [
    'azure monitorCondition in lower case',
    edited(AZURE, (b) => {
      b.data.essentials.monitorCondition = 'fired';
    }),
    undefined,
    'azure: data.essentials.monitorCondition must be Fired or Resolved, got "fired"',
  ],
  [
    'azure older (non-common) metric alert schema',
    { schemaId: 'AzureMonitorMetricAlert', data: { status: 'Activated', context: {} } },
    undefined,
    'azure: schemaId must be "azureMonitorCommonAlertSchema", got "AzureMonitorMetricAlert": enable the common alert schema on the action group\'s webhook action',
  ],
  [
    'azure without schemaId',
    edited(AZURE, (b) => {
      delete b.schemaId;
    }),
    undefined,
    'azure: schemaId is missing',
  ],
  [
    'azure essentials missing',
    edited(AZURE, (b) => {
      delete b.data.essentials;
    }),
    undefined,
    'azure: data.essentials is missing',
  ],
  [
    'azure data an array',
    edited(AZURE, (b) => {
      b.data = [b.data];
    }),
    undefined,
    'azure: data must be an object, got an array',
  ],
  [
    'azure alertRule empty',
    edited(AZURE, (b) => {
      b.data.essentials.alertRule = ' ';
    }),
    undefined,
    'azure: data.essentials.alertRule must not be empty',
  ],
  [
    'azure alertId a number',
    edited(AZURE, (b) => {
      b.data.essentials.alertId = 42;
    }),
    undefined,
    'azure: data.essentials.alertId must be a string, got a number',
  ],
  [
    'azure unknown severity',
    edited(AZURE, (b) => {
      b.data.essentials.severity = 'Sev5';
    }),
    undefined,
    'azure: data.essentials.severity must be one of Sev0, Sev1, Sev2, Sev3, Sev4, got "Sev5"',
  ],
  [
    'azure firedDateTime not a timestamp',
    edited(AZURE, (b) => {
      b.data.essentials.firedDateTime = '3/22/2019 1:58:24 PM';
    }),
    undefined,
    'azure: data.essentials.firedDateTime is not an RFC 3339 timestamp (like 2024-05-01T12:00:00Z), got "3/22/2019 1:58:24 PM"',
  ],
  [
    'azure resolvedDateTime a number',
    edited(AZURE, (b) => {
      b.data.essentials.resolvedDateTime = 1553263396;
    }),
    undefined,
    'azure: data.essentials.resolvedDateTime must be a string, got a number',
  ],
  [
    'azure alertTargetIDs a string',
    edited(AZURE, (b) => {
      b.data.essentials.alertTargetIDs = b.data.essentials.alertTargetIDs[0];
    }),
    undefined,
    'azure: data.essentials.alertTargetIDs must be an array, got a string',
  ],
  [
    'azure configurationItems with a non-string',
    edited(AZURE, (b) => {
      b.data.essentials.configurationItems.push({ name: 'vm2' });
    }),
    undefined,
    'azure: data.essentials.configurationItems[1] must be a string, got an object',
  ],
  [
    'azure alertContext a string',
    edited(AZURE, (b) => {
      b.data.alertContext = 'metric';
    }),
    undefined,
    'azure: data.alertContext must be an object, got a string',
  ],
  [
    'azure custom property an object',
    edited(AZURE, (b) => {
      b.data.customProperties.owner = { team: 'payments' };
    }),
    undefined,
    'azure: data.customProperties.owner must be a string, number or boolean, got an object',
  ],
  [
    'generic without status',
    { labels: { service: 'api' }, status: undefined, alerts: [{ labels: {} }] },
    'generic',
    'generic: alerts[0].status is missing',
  ],
  [
    'generic label value an object',
    { status: 'firing', labels: { region: { code: 'x' } }, startsAt: '2024-01-01T00:00:00Z' },
    undefined,
    'generic: labels.region must be a string, number or boolean, got an object',
  ],
  [
    'generic without startsAt or receive time',
    { status: 'firing', labels: { service: 'api' } },
    undefined,
    'generic: startsAt is missing (and no receive time was given to default it)',
  ],
  [
    'generic alerts not an array',
    { alerts: 'all of them' },
    'generic',
    'generic: alerts must be an array, got a string',
  ],
  [
    'source given for a body that is not an object',
    [1, 2],
    'alertmanager',
    'alertmanager: body must be an object, got an array',
  ],
  [
    'unknown ?source=',
    {},
    'nagios' as AlertSource,
    'unknown source "nagios"; supported sources: alertmanager, grafana, sns, pagerduty, azure, generic (see docs/alert-sources.md)',
  ],
];

describe('malformed payloads', () => {
  it('has at least 20 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  it.each(cases)('%s', (_name, body, source, message) => {
    let thrown: unknown;
    try {
      normaliseNotification(body, source);
    } catch (err: unknown) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(PayloadError);
    expect((thrown as PayloadError).message).toBe(message);
  });
});

describe('bodies no source can claim', () => {
  const SUPPORTED =
    'supported sources: alertmanager, grafana, sns, pagerduty, azure, generic (see docs/alert-sources.md)';
  it.each([
    [null, `cannot tell the alert source: the body must be a JSON object, got null; ${SUPPORTED}`],
    ['firing', `cannot tell the alert source: the body must be a JSON object, got a string; ${SUPPORTED}`],
    [
      [{ status: 'firing' }],
      `cannot tell the alert source: the body must be a JSON object, got an array; ${SUPPORTED}`,
    ],
    [42, `cannot tell the alert source: the body must be a JSON object, got a number; ${SUPPORTED}`],
    [
      {},
      `cannot tell the alert source: the body has no keys and no "alerts" array, SNS "Type", PagerDuty "event", Azure Monitor "schemaId" or generic "status"+"labels"; ${SUPPORTED}`,
    ],
    [
      { title: 'disk full', level: 'warn' },
      `cannot tell the alert source: the body has keys "title", "level" and no "alerts" array, SNS "Type", PagerDuty "event", Azure Monitor "schemaId" or generic "status"+"labels"; ${SUPPORTED}`,
    ],
  ] as [Json, string][])('%j', (body, message) => {
    expect(() => detectSource(body)).toThrow(new PayloadError(message));
    expect(() => normaliseNotification(body)).toThrow(PayloadError);
  });
});
