// PagerDuty v3 webhooks (generic webhook subscriptions): one event per delivery.
import type { NormalisedNotification, Signal } from '../types.js';
import { addIfAbsent, isRecord, own, PayloadReader, preview } from './read.js';

const STATUS_BY_EVENT: Record<string, Signal['status']> = {
  'incident.triggered': 'firing',
  'incident.resolved': 'resolved',
};

const SEVERITY_BY_URGENCY: Record<string, string> = { high: 'critical', low: 'warning' };

export function normalisePagerDuty(bodyValue: unknown): NormalisedNotification {
  const reader: PayloadReader = new PayloadReader('pagerduty');
  const body = reader.record(bodyValue, '');
  if (own(body, 'event') === undefined && Array.isArray(own(body, 'messages'))) {
    reader.fail('', 'is a PagerDuty v2 webhook (messages[]); configure a v3 generic webhook subscription');
  }
  const event = reader.record(own(body, 'event'), 'event');
  const eventType = reader.nonEmptyString(own(event, 'event_type'), 'event.event_type');
  const status = Object.hasOwn(STATUS_BY_EVENT, eventType) ? STATUS_BY_EVENT[eventType] : undefined;
  if (status === undefined) {
    // Acknowledgements, notes, escalations, pings: real events, but none says a service broke or recovered.
    return {
      source: 'pagerduty',
      signals: [],
      ignored: [
        { reason: `pagerduty: event ${preview(eventType)} is not a trigger or resolve; nothing to do` },
      ],
    };
  }
  const occurredAt = reader.startTime(own(event, 'occurred_at'), 'event.occurred_at');
  const data = reader.record(own(event, 'data'), 'event.data');
  const id = reader.nonEmptyString(own(data, 'id'), 'event.data.id');
  const title = reader.nonEmptyString(own(data, 'title'), 'event.data.title');
  const createdAtValue = own(data, 'created_at');
  const createdAt =
    createdAtValue === undefined || createdAtValue === null
      ? undefined
      : reader.startTime(createdAtValue, 'event.data.created_at');

  const labels: Record<string, string> = { alertname: title };
  const service = optionalReference(reader, own(data, 'service'), 'event.data.service');
  addIfAbsent(labels, 'service', service);
  const urgency = reader.optionalString(own(data, 'urgency'), 'event.data.urgency');
  addIfAbsent(labels, 'urgency', urgency);
  addIfAbsent(
    labels,
    'severity',
    urgency && Object.hasOwn(SEVERITY_BY_URGENCY, urgency) ? SEVERITY_BY_URGENCY[urgency] : undefined,
  );
  addIfAbsent(labels, 'priority', optionalReference(reader, own(data, 'priority'), 'event.data.priority'));

  const annotations: Record<string, string> = { summary: title };
  addIfAbsent(annotations, 'incident_id', id);
  const number = own(data, 'number');
  if (typeof number === 'number') addIfAbsent(annotations, 'incident_number', String(number));
  addIfAbsent(
    annotations,
    'escalation_policy',
    optionalReference(reader, own(data, 'escalation_policy'), 'event.data.escalation_policy'),
  );
  addIfAbsent(annotations, 'event_id', reader.optionalString(own(event, 'id'), 'event.id'));
  const agent = own(event, 'agent');
  if (isRecord(agent) && typeof agent.summary === 'string') addIfAbsent(annotations, 'agent', agent.summary);

  const signal: Signal = {
    source: 'pagerduty',
    status,
    labels,
    annotations,
    // The incident id survives triggered → resolved, so both events name the same alert.
    startsAt: createdAt ?? occurredAt,
    fingerprint: `pagerduty-${id}`,
  };
  if (status === 'resolved') signal.endsAt = occurredAt;
  const url = reader.optionalString(own(data, 'html_url'), 'event.data.html_url');
  if (url !== undefined) signal.url = url;
  return { source: 'pagerduty', signals: [signal], ignored: [] };
}

/** PagerDuty references are objects with a `summary` (service, priority, escalation policy). */
function optionalReference(reader: PayloadReader, value: unknown, where: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  const reference = reader.record(value, where);
  return reader.optionalString(own(reference, 'summary'), `${where}.summary`);
}
