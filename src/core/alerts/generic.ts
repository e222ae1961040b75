// The project's own documented form (docs/alert-sources.md), for anything that can POST JSON:
//   { "status": "firing"|"resolved", "labels": {...}, "annotations"?, "startsAt"?, "endsAt"?, "fingerprint"?, "url"? }
// or { "alerts": [ <that> ] }. Written by hand, so label values may also be numbers or booleans.
import type { NormalisedNotification, Signal } from '../types.js';
import { labelsFingerprint } from './fingerprint.js';
import { indexPath, type JsonRecord, own, PayloadReader } from './read.js';
import { normaliseSeverityLabel } from './severity.js';

export interface NormaliseOptions {
  /** When the bot received the body (ISO); the start time of generic alerts that carry no startsAt. */
  receivedAt?: string;
}

export function normaliseGeneric(bodyValue: unknown, options: NormaliseOptions = {}): NormalisedNotification {
  const reader: PayloadReader = new PayloadReader('generic');
  const body = reader.record(bodyValue, '');
  const list = own(body, 'alerts');
  const items: [unknown, string][] =
    list === undefined
      ? [[body, '']]
      : reader.array(list, 'alerts').map((item, i) => [item, indexPath('alerts', i)]);
  const signals = items.map(([item, where]) =>
    readGenericAlert(reader, reader.record(item, where), where, options),
  );
  const ignored = items.length === 0 ? [{ reason: 'generic: the notification has no alerts' }] : [];
  return { source: 'generic', signals, ignored };
}

function readGenericAlert(
  reader: PayloadReader,
  alert: JsonRecord,
  where: string,
  options: NormaliseOptions,
): Signal {
  const at = (key: string) => (where ? `${where}.${key}` : key);
  const status = reader.status(own(alert, 'status'), at('status'));
  const labels = reader.stringMap(own(alert, 'labels'), at('labels'), { scalars: true });
  const annotations = reader.stringMap(own(alert, 'annotations'), at('annotations'), {
    optional: true,
    scalars: true,
  });
  const startValue = own(alert, 'startsAt');
  let startsAt: string;
  if (startValue !== undefined && startValue !== null && startValue !== '') {
    startsAt = reader.startTime(startValue, at('startsAt'));
  } else if (options.receivedAt !== undefined) {
    // Only the receiver knows "now"; the core never reads a clock.
    startsAt = reader.startTime(options.receivedAt, 'receivedAt (option)');
  } else {
    reader.fail(at('startsAt'), 'is missing (and no receive time was given to default it)');
  }
  const endsAt = reader.endTime(own(alert, 'endsAt'), at('endsAt'));
  const fingerprint =
    reader.optionalString(own(alert, 'fingerprint'), at('fingerprint')) ?? labelsFingerprint(labels);
  normaliseSeverityLabel(labels, annotations);
  const signal: Signal = { source: 'generic', status, labels, annotations, startsAt, fingerprint };
  if (endsAt !== undefined) signal.endsAt = endsAt;
  const url = reader.optionalString(own(alert, 'url'), at('url'));
  if (url !== undefined) signal.url = url;
  return signal;
}
