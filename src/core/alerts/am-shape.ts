// Alertmanager's webhook shape, shared by Alertmanager itself and Grafana unified alerting (which sends
// the same envelope with extra fields). Unknown and newer fields are ignored on purpose.
import type { AlertSource, NormalisedNotification, Signal } from '../types.js';
import { labelsFingerprint } from './fingerprint.js';
import { indexPath, type JsonRecord, own, type PayloadReader } from './read.js';
import { normaliseSeverityLabel } from './severity.js';

export interface AlertExtras {
  /** The link a human should follow for this alert. */
  url?: string;
  /** Annotations derived from source-specific fields; never overwrite the alert's own annotations. */
  annotations?: Record<string, string>;
}

export function readAlertmanagerShape(
  reader: PayloadReader,
  source: AlertSource,
  bodyValue: unknown,
  extras: (alert: JsonRecord, where: string) => AlertExtras,
): NormalisedNotification {
  const body = reader.record(bodyValue, '');
  // The group status is only a fallback: a group can mix firing and resolved alerts, each keeps its own.
  const rawGroupStatus = own(body, 'status');
  const groupStatus = rawGroupStatus === undefined ? undefined : reader.status(rawGroupStatus, 'status');
  const alerts = reader.array(own(body, 'alerts'), 'alerts');
  const signals: Signal[] = [];
  const ignored: { reason: string }[] = [];

  alerts.forEach((alertValue, i) => {
    const where = indexPath('alerts', i);
    const alert = reader.record(alertValue, where);
    const ownStatus = own(alert, 'status');
    let status: Signal['status'];
    if (ownStatus === undefined || ownStatus === null || ownStatus === '') {
      if (groupStatus === undefined)
        reader.fail(`${where}.status`, 'is missing and the notification has no status');
      status = groupStatus;
    } else {
      status = reader.status(ownStatus, `${where}.status`);
    }
    const labels = reader.stringMap(own(alert, 'labels'), `${where}.labels`);
    const annotations = reader.stringMap(own(alert, 'annotations'), `${where}.annotations`, {
      optional: true,
    });
    const startsAt = reader.startTime(own(alert, 'startsAt'), `${where}.startsAt`);
    const endsAt = reader.endTime(own(alert, 'endsAt'), `${where}.endsAt`);
    // Computed before severity normalisation so it matches what the source would have computed.
    const fingerprint =
      reader.optionalString(own(alert, 'fingerprint'), `${where}.fingerprint`) ?? labelsFingerprint(labels);
    const extra = extras(alert, where);
    for (const [key, value] of Object.entries(extra.annotations ?? {})) {
      if (!Object.hasOwn(annotations, key) && value !== '') annotations[key] = value;
    }
    normaliseSeverityLabel(labels, annotations);
    const signal: Signal = { source, status, labels, annotations, startsAt, fingerprint };
    if (endsAt !== undefined) signal.endsAt = endsAt;
    if (extra.url !== undefined) signal.url = extra.url;
    signals.push(signal);
  });

  if (alerts.length === 0) ignored.push({ reason: `${source}: the notification has no alerts` });
  const truncated = own(body, 'truncatedAlerts');
  if (typeof truncated === 'number' && truncated > 0) {
    ignored.push({
      reason: `${source}: ${truncated} more alert(s) were cut from this notification by the sender (max_alerts)`,
    });
  }
  return { source, signals, ignored };
}
