// Grafana unified alerting webhook (Grafana 9–11): Alertmanager's envelope plus orgId, title, state,
// message, and per alert silenceURL/dashboardURL/panelURL/imageURL, values and valueString.
import type { NormalisedNotification } from '../types.js';
import { readAlertmanagerShape } from './am-shape.js';
import { isRecord, own, PayloadReader } from './read.js';

export function normaliseGrafana(body: unknown): NormalisedNotification {
  const reader: PayloadReader = new PayloadReader('grafana');
  if (isRecord(body) && (own(body, 'evalMatches') !== undefined || own(body, 'ruleName') !== undefined)) {
    reader.fail(
      '',
      'is a legacy Grafana alerting payload (ruleName/evalMatches); use a unified alerting contact point',
    );
  }
  return readAlertmanagerShape(reader, 'grafana', body, (alert, where) => {
    const link = (key: string) => reader.optionalString(own(alert, key), `${where}.${key}`);
    const generatorURL = link('generatorURL');
    const panelURL = link('panelURL');
    const dashboardURL = link('dashboardURL');
    const annotations: Record<string, string> = {};
    if (panelURL) annotations.panel_url = panelURL;
    if (dashboardURL) annotations.dashboard_url = dashboardURL;
    const silenceURL = link('silenceURL');
    if (silenceURL) annotations.silence_url = silenceURL;
    const imageURL = link('imageURL');
    if (imageURL) annotations.image_url = imageURL;
    // Values are informational only: tolerated in any shape, rendered when they are plain numbers.
    const valueString = own(alert, 'valueString');
    if (typeof valueString === 'string' && valueString) annotations.value_string = valueString;
    const values = renderValues(own(alert, 'values'));
    if (values) annotations.values = values;
    const url = generatorURL ?? panelURL ?? dashboardURL;
    return url === undefined ? { annotations } : { url, annotations };
  });
}

function renderValues(values: unknown): string | undefined {
  if (!isRecord(values)) return undefined;
  const parts = Object.entries(values)
    .filter(
      (entry): entry is [string, number | string] =>
        typeof entry[1] === 'number' || typeof entry[1] === 'string',
    )
    .map(([name, value]) => `${name}=${value}`);
  return parts.length > 0 ? parts.join(', ') : undefined;
}
