// Prometheus Alertmanager webhook (payload version 4).
import type { NormalisedNotification } from '../types.js';
import { readAlertmanagerShape } from './am-shape.js';
import { own, PayloadReader } from './read.js';

export function normaliseAlertmanager(body: unknown): NormalisedNotification {
  const reader: PayloadReader = new PayloadReader('alertmanager');
  return readAlertmanagerShape(reader, 'alertmanager', body, (alert, where) => {
    const url = reader.optionalString(own(alert, 'generatorURL'), `${where}.generatorURL`);
    return url === undefined ? {} : { url };
  });
}
