// Alert intake, pure: any supported monitoring source's webhook body → NormalisedNotification.
// Every failure is a PayloadError whose message says what is wrong and where.
import type { AlertSource, NormalisedNotification } from '../types.js';
import { normaliseAlertmanager } from './alertmanager.js';
import { normaliseAzure } from './azure.js';
import { detectSource, parseAlertSource } from './detect.js';
import { type NormaliseOptions, normaliseGeneric } from './generic.js';
import { normaliseGrafana } from './grafana.js';
import { normalisePagerDuty } from './pagerduty.js';
import { normaliseSns } from './sns.js';

export { awsRegionCode } from './aws-regions.js';
export { detectSource, parseAlertSource } from './detect.js';
export { fnv1a64, labelsFingerprint } from './fingerprint.js';
export type { NormaliseOptions } from './generic.js';
export { normaliseSeverity } from './severity.js';
export { type SnsSignatureAlgorithm, snsSignatureAlgorithm, snsStringToSign } from './sns-signing.js';

/**
 * Normalises one notification body. `source` comes from the bot's `?source=` (validated here, since it is
 * user input); without it the source is detected from the body.
 */
export function normaliseNotification(
  body: unknown,
  source?: AlertSource,
  options: NormaliseOptions = {},
): NormalisedNotification {
  const chosen = source === undefined ? detectSource(body) : parseAlertSource(source);
  switch (chosen) {
    case 'alertmanager':
      return normaliseAlertmanager(body);
    case 'grafana':
      return normaliseGrafana(body);
    case 'sns':
      return normaliseSns(body);
    case 'pagerduty':
      return normalisePagerDuty(body);
    case 'azure':
      return normaliseAzure(body);
    case 'generic':
      return normaliseGeneric(body, options);
  }
}
