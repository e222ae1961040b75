// The parts of an Azure Monitor common-schema alert that vary by alert type: ARM resource IDs and the
// `alertContext` section. The context is descriptive only, its shape differs per monitoring service
// (metric, log search, activity log, service health, Prometheus) and grows over time, so it is read
// tolerantly: fields of an unexpected type are skipped, never refused, and nothing large is copied.
import { isRecord, type JsonRecord, own } from './read.js';

/** What an ARM resource ID says: `/subscriptions/{s}/resourceGroups/{g}/providers/{ns}/{type}/{name}`. */
export interface ResourceIdParts {
  subscription?: string;
  resourceGroup?: string;
  /** `microsoft.compute/virtualmachines`, nested types joined with `/`, as the ID spells it. */
  type?: string;
  /** The last name in the ID: the resource itself (a child resource for nested IDs). */
  name?: string;
}

/** Reads the ARM ID segment by segment; keywords are case-insensitive, as Azure itself treats them. */
export function parseResourceId(id: string): ResourceIdParts {
  const segments = id.split('/').filter((segment) => segment !== '');
  const parts: ResourceIdParts = {};
  let i = 0;
  const keyword = (word: string) => segments[i]?.toLowerCase() === word && segments[i + 1] !== undefined;
  if (keyword('subscriptions')) {
    parts.subscription = segments[i + 1];
    i += 2;
  }
  if (keyword('resourcegroups')) {
    parts.resourceGroup = segments[i + 1];
    i += 2;
  }
  if (keyword('providers')) {
    const namespace = segments[i + 1];
    const rest = segments.slice(i + 2);
    const types: string[] = [];
    let name: string | undefined;
    for (let j = 0; j + 1 < rest.length; j += 2) {
      types.push(rest[j] as string);
      name = rest[j + 1];
    }
    if (types.length > 0 && name !== undefined) {
      parts.type = `${namespace}/${types.join('/')}`;
      parts.name = name;
    }
  }
  return parts;
}

/**
 * Azure region display names ("East US", "West Europe") become the programmatic names used everywhere
 * else ("eastus", "westeurope"): lower case without spaces. Anything that is not a single region name
 * (a list, an empty string) gives undefined.
 */
export function azureRegionCode(value: string): string | undefined {
  const trimmed = value.trim();
  if (!/^[A-Za-z][A-Za-z0-9 ]*$/.test(trimmed)) return undefined;
  return trimmed.toLowerCase().replace(/ +/g, '');
}

/** At most this many criteria, targets or dimensions are summarised (an alert never needs more). */
export const LISTED = 5;
/** At most this many entries of a label or annotation map in the context. */
const MAP_ENTRIES = 64;
/** Longest text copied into an annotation (search queries can be kilobytes). */
const TEXT_LIMIT = 500;

export interface ContextFacts {
  annotations: [string, string][];
  /** Routing labels the context carries: metric dimensions, Prometheus rule labels. */
  labels: [string, string][];
  /** A region code, when the context names the affected resource's location. */
  region?: string;
  /** A link for humans (log search results), when there is one. */
  url?: string;
}

export function readAlertContext(context: JsonRecord | undefined): ContextFacts {
  const facts: ContextFacts = { annotations: [], labels: [] };
  if (context === undefined) return facts;
  const note = (key: string, value: unknown) => {
    const text = scalarText(value);
    if (text !== undefined) facts.annotations.push([key, text]);
  };
  note('condition_type', own(context, 'conditionType'));
  const condition = own(context, 'condition');
  if (isRecord(condition)) {
    note('window_size', own(condition, 'windowSize'));
    readCriteria(facts, own(condition, 'allOf'), note);
  }
  // Activity log alerts (administrative, policy, autoscale, service and resource health).
  note('operation_name', own(context, 'operationName'));
  note('event_source', own(context, 'eventSource'));
  note('event_status', own(context, 'status'));
  note('level', own(context, 'level'));
  const properties = own(context, 'properties');
  if (isRecord(properties)) {
    note('title', own(properties, 'title'));
    const location = own(properties, 'resourceLocation') ?? own(properties, 'region');
    if (typeof location === 'string') facts.region = azureRegionCode(location);
  }
  // Log search alerts with the older context.
  note('search_query', own(context, 'SearchQuery'));
  note('result_count', own(context, 'ResultCount'));
  const searchLink = own(context, 'LinkToFilteredSearchResultsUI') ?? own(context, 'LinkToSearchResults');
  if (typeof searchLink === 'string' && searchLink.startsWith('https://')) facts.url ??= searchLink;
  // Azure Monitor managed Prometheus: the rule's labels route like any Prometheus alert's.
  note('expression', own(context, 'expression'));
  note('expression_value', own(context, 'expressionValue'));
  facts.labels.push(...stringEntries(own(context, 'labels')));
  facts.annotations.push(...stringEntries(own(context, 'annotations')));
  return facts;
}

/** Metric and log search (v2) criteria: the first one in detail, up to LISTED in one line. */
function readCriteria(
  facts: ContextFacts,
  allOf: unknown,
  note: (key: string, value: unknown) => void,
): void {
  if (!Array.isArray(allOf)) return;
  const criteria = allOf.slice(0, LISTED).filter(isRecord);
  const first = criteria[0];
  if (first !== undefined) {
    note('metric_name', own(first, 'metricName'));
    note('metric_namespace', own(first, 'metricNamespace'));
    note('operator', own(first, 'operator'));
    note('threshold', own(first, 'threshold'));
    note('time_aggregation', own(first, 'timeAggregation'));
    note('metric_value', own(first, 'metricValue'));
    note('search_query', own(first, 'searchQuery'));
    const link = own(first, 'linkToFilteredSearchResultsUI') ?? own(first, 'linkToSearchResultsUI');
    if (typeof link === 'string' && link.startsWith('https://')) facts.url = link;
  }
  const lines = criteria.map(describeCriterion).filter((line) => line !== '');
  if (lines.length > 0) {
    const more = allOf.length > LISTED ? `; and ${allOf.length - LISTED} more` : '';
    facts.annotations.push(['condition', clip(`${lines.join('; ')}${more}`)]);
  }
  for (const criterion of criteria) {
    const dimensions = own(criterion, 'dimensions');
    if (!Array.isArray(dimensions)) continue;
    for (const dimension of dimensions.slice(0, LISTED * 4)) {
      if (!isRecord(dimension)) continue;
      const name = own(dimension, 'name');
      const value = own(dimension, 'value');
      if (typeof name === 'string' && name !== '' && typeof value === 'string')
        facts.labels.push([name, value]);
    }
  }
}

/** `Percentage CPU Average GreaterThan 25 (value 7.727)`, from whichever of those fields are there. */
function describeCriterion(criterion: JsonRecord): string {
  const words = ['metricName', 'timeAggregation', 'operator', 'threshold']
    .map((key) => scalarText(own(criterion, key)))
    .filter((word): word is string => word !== undefined);
  const value = scalarText(own(criterion, 'metricValue'));
  if (words.length === 0) return '';
  return value === undefined ? words.join(' ') : `${words.join(' ')} (value ${value})`;
}

/** Strings (not empty), finite numbers and booleans as text; anything else is not summarised. */
function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : clip(value);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  return undefined;
}

function stringEntries(value: unknown): [string, string][] {
  if (!isRecord(value)) return [];
  return Object.entries(value)
    .slice(0, MAP_ENTRIES)
    .filter((entry): entry is [string, string] => entry[0] !== '' && typeof entry[1] === 'string')
    .map(([key, text]) => [key, clip(text)]);
}

export function clip(text: string): string {
  return text.length > TEXT_LIMIT ? `${text.slice(0, TEXT_LIMIT)}…` : text;
}
