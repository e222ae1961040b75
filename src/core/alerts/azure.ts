// Azure Monitor alerts in the common alert schema (schemaId "azureMonitorCommonAlertSchema"), as an
// action group's webhook action sends them when "Enable the common alert schema" is on. One alert
// instance per delivery; the same alertId comes with Fired and later with Resolved.
import type { NormalisedNotification, Severity, Signal } from '../types.js';
import { azureRegionCode, clip, LISTED, parseResourceId, readAlertContext } from './azure-context.js';
import { fnv1a64 } from './fingerprint.js';
import { addIfAbsent, indexPath, isRecord, own, PayloadReader, preview } from './read.js';

export const AZURE_COMMON_SCHEMA = 'azureMonitorCommonAlertSchema';

/**
 * Azure's own scale, Sev0 (most severe) to Sev4. Deliberately not the shared synonym table, where
 * "sev1" means critical: in Azure, Sev0 is the critical one and Sev3/Sev4 are informational.
 */
const SEVERITY_BY_AZURE: Record<string, Severity> = {
  sev0: 'critical',
  sev1: 'error',
  sev2: 'warning',
  sev3: 'info',
  sev4: 'info',
};

const STATUS_BY_CONDITION: Record<string, Signal['status']> = { Fired: 'firing', Resolved: 'resolved' };

const PORTAL_ALERT =
  'https://portal.azure.com/#blade/Microsoft_Azure_Monitoring/AlertDetailsTemplateBlade/alertId/';

export function normaliseAzure(bodyValue: unknown): NormalisedNotification {
  const reader: PayloadReader = new PayloadReader('azure');
  const body = reader.record(bodyValue, '');
  const schemaId = reader.nonEmptyString(own(body, 'schemaId'), 'schemaId');
  if (schemaId !== AZURE_COMMON_SCHEMA) {
    reader.fail(
      'schemaId',
      `must be "${AZURE_COMMON_SCHEMA}", got ${preview(schemaId)}: enable the common alert schema on the action group's webhook action`,
    );
  }
  const data = reader.record(own(body, 'data'), 'data');
  const essentials = reader.record(own(data, 'essentials'), 'data.essentials');
  const at = (key: string) => `data.essentials.${key}`;
  const text = (key: string) => reader.optionalString(own(essentials, key), at(key));

  const alertId = reader.nonEmptyString(own(essentials, 'alertId'), at('alertId'));
  const alertRule = reader.nonEmptyString(own(essentials, 'alertRule'), at('alertRule'));
  const condition = own(essentials, 'monitorCondition');
  const status =
    typeof condition === 'string' && Object.hasOwn(STATUS_BY_CONDITION, condition)
      ? STATUS_BY_CONDITION[condition]
      : undefined;
  if (status === undefined) {
    if (condition === undefined) reader.fail(at('monitorCondition'), 'is missing');
    reader.fail(at('monitorCondition'), `must be Fired or Resolved, got ${preview(condition)}`);
  }
  const rawSeverity = text('severity');
  const severity = rawSeverity === undefined ? undefined : SEVERITY_BY_AZURE[rawSeverity.toLowerCase()];
  if (rawSeverity !== undefined && severity === undefined) {
    reader.fail(at('severity'), `must be one of Sev0, Sev1, Sev2, Sev3, Sev4, got ${preview(rawSeverity)}`);
  }
  const firedAt = reader.startTime(own(essentials, 'firedDateTime'), at('firedDateTime'));
  const resolvedAt = reader.endTime(own(essentials, 'resolvedDateTime'), at('resolvedDateTime'));
  const targets = optionalStrings(reader, own(essentials, 'alertTargetIDs'), at('alertTargetIDs'));
  const items = optionalStrings(reader, own(essentials, 'configurationItems'), at('configurationItems'));
  const contextValue = own(data, 'alertContext');
  const context =
    contextValue === undefined || contextValue === null
      ? undefined
      : reader.record(contextValue, 'data.alertContext');
  const custom = reader.stringMap(own(data, 'customProperties'), 'data.customProperties', {
    optional: true,
    scalars: true,
  });
  const facts = readAlertContext(context);

  const target = targets[0] === undefined ? {} : parseResourceId(targets[0]);
  const regionText = text('targetResourceRegion');
  const labels: Record<string, string> = { alertname: alertRule };
  addIfAbsent(labels, 'severity', severity);
  addIfAbsent(labels, 'monitoring_service', text('monitoringService'));
  addIfAbsent(labels, 'signal_type', text('signalType'));
  addIfAbsent(labels, 'alert_id', alertId);
  addIfAbsent(labels, 'resource', target.name ?? items[0]);
  addIfAbsent(labels, 'resource_group', text('targetResourceGroup') ?? target.resourceGroup);
  addIfAbsent(labels, 'subscription', target.subscription);
  addIfAbsent(labels, 'resource_type', text('targetResourceType') ?? target.type);
  addIfAbsent(labels, 'region', (regionText && azureRegionCode(regionText)) || facts.region);
  // What the team put on the rule routes first; then what the condition measured. Neither overwrites the above.
  for (const [key, value] of Object.entries(custom)) addIfAbsent(labels, key, value);
  for (const [key, value] of facts.labels) addIfAbsent(labels, key, value);

  const annotations: Record<string, string> = { summary: `${alertRule}: ${condition}` };
  addIfAbsent(annotations, 'description', text('description'));
  if (rawSeverity !== undefined && severity !== rawSeverity) annotations.source_severity = rawSeverity;
  addIfAbsent(annotations, 'alert_rule_id', text('alertRuleID') ?? text('alertRuleId'));
  addIfAbsent(annotations, 'targets', listed(targets));
  addIfAbsent(annotations, 'configuration_items', listed(items));
  for (const [key, value] of facts.annotations) addIfAbsent(annotations, key, value);

  const signal: Signal = {
    source: 'azure',
    status,
    labels,
    annotations,
    startsAt: firedAt,
    // ARM IDs are case-insensitive; Fired and Resolved carry the same alertId, so both name one alert.
    fingerprint: `azure-${fnv1a64(alertId.toLowerCase())}`,
  };
  if (status === 'resolved' && resolvedAt !== undefined) signal.endsAt = resolvedAt;
  const url = portalLink(text('investigationLink'), alertId) ?? facts.url;
  if (url !== undefined) signal.url = url;
  return { source: 'azure', signals: [signal], ignored: [] };
}

/** An array of strings that may be absent or null (Azure leaves lists out for some alert types). */
function optionalStrings(reader: PayloadReader, value: unknown, where: string): string[] {
  if (value === undefined || value === null) return [];
  return reader.array(value, where).map((item, i) => reader.string(item, indexPath(where, i)));
}

function listed(values: string[]): string | undefined {
  if (values.length === 0) return undefined;
  const more = values.length > LISTED ? `, and ${values.length - LISTED} more` : '';
  return clip(`${values.slice(0, LISTED).join(', ')}${more}`);
}

/** Azure's own investigation link when sent; else the alert's page in the portal, for ARM alert IDs. */
function portalLink(investigationLink: string | undefined, alertId: string): string | undefined {
  if (investigationLink?.startsWith('https://')) return investigationLink;
  if (!alertId.toLowerCase().startsWith('/subscriptions/')) return undefined;
  return `${PORTAL_ALERT}${encodeURIComponent(alertId)}`;
}

/** True for bodies that say they are Azure Monitor alerts, in the common schema or an older one. */
export function looksLikeAzureMonitor(body: Record<string, unknown>): boolean {
  const schemaId = own(body, 'schemaId');
  if (typeof schemaId === 'string' && /azure|microsoft\.insights/i.test(schemaId)) return true;
  const data = own(body, 'data');
  return isRecord(data) && isRecord(own(data, 'essentials'));
}
