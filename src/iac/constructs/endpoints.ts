// What the two record constructs share: the props that describe a DNS name and each target's endpoint,
// their validation (every problem at once, naming the prop), and one Route 53 health check per target.
import { Route53HealthCheck } from '@cdktn/provider-aws/lib/route53-health-check/index.js';
import type { TerraformProvider } from 'cdktn';
import { Token } from 'cdktn';
import type { Construct } from 'constructs';
import type { FlagLocation } from './state.js';

export type HealthCheckType = 'HTTP' | 'HTTPS' | 'HTTP_STR_MATCH' | 'HTTPS_STR_MATCH' | 'TCP';
export type DnsRecordType = 'A' | 'AAAA' | 'CNAME';

/** How Route 53 probes one target (an `aws_route53_health_check`). */
export interface HealthCheckOptions {
  /** Probe protocol. Default `HTTPS`. The `_STR_MATCH` kinds also need `searchString`. */
  readonly type?: HealthCheckType;
  /** Host name to probe (e.g. `us-east-1.checkout.example.com`). Give this or `ipAddress`. */
  readonly fqdn?: string;
  /** IP address to probe instead of a host name. Give this or `fqdn`. */
  readonly ipAddress?: string;
  /** Port, 1-65535. Default 443 for HTTPS kinds, 80 for HTTP kinds; required for `TCP`. */
  readonly port?: number;
  /** Path requested by HTTP(S) kinds, starting with `/`. Default `/`. Not allowed for `TCP`. */
  readonly resourcePath?: string;
  /** Text the response body must contain; required for, and only allowed with, the `_STR_MATCH` kinds. */
  readonly searchString?: string;
  /** Consecutive failed probes before the target is unhealthy, 1-10. Default 3. */
  readonly failureThreshold?: number;
  /** Seconds between probes from each checker: 10 or 30. Default 30. */
  readonly requestInterval?: 10 | 30;
}

/** Where one target receives traffic. */
export interface TargetEndpoint {
  /** The record values for this target: one host name for CNAME, one or more addresses for A/AAAA. */
  readonly records: string[];
  /** The Route 53 health check of this target. */
  readonly healthCheck?: HealthCheckOptions;
}

/** Props both record constructs take. */
export interface DnsRecordBaseProps {
  /** The Route 53 hosted zone id (a literal or a token such as `zone.zoneId`). */
  readonly zoneId: string;
  /** The DNS name the records answer for, e.g. `checkout.example.com`. */
  readonly recordName: string;
  /** `CNAME` (default), `A` or `AAAA`. */
  readonly recordType?: DnsRecordType;
  /** Seconds resolvers may cache an answer, a whole number 0-86400. Default 60: it bounds how long a flip takes to reach clients. */
  readonly ttl?: number;
  /** The AWS provider to use when the stack has more than one (e.g. a provider alias). */
  readonly provider?: TerraformProvider;
}

export const DEFAULT_TTL = 60;
const RECORD_TYPES: readonly string[] = ['A', 'AAAA', 'CNAME'];
const CHECK_TYPES: readonly string[] = ['HTTP', 'HTTPS', 'HTTP_STR_MATCH', 'HTTPS_STR_MATCH', 'TCP'];

const literal = (value: unknown): boolean => !(typeof value === 'string' && Token.isUnresolved(value));

/** Problems with the props every record kind shares. */
export function baseProblems(props: DnsRecordBaseProps): string[] {
  const problems: string[] = [];
  if (typeof props.zoneId !== 'string' || props.zoneId.trim() === '') problems.push('zoneId is empty');
  if (typeof props.recordName !== 'string' || props.recordName.trim() === '') {
    problems.push('recordName is empty');
  }
  if (props.recordType !== undefined && !RECORD_TYPES.includes(props.recordType)) {
    problems.push(`recordType must be A, AAAA or CNAME (got ${JSON.stringify(props.recordType)})`);
  }
  const ttl = props.ttl;
  if (ttl !== undefined && !(Number.isInteger(ttl) && ttl >= 0 && ttl <= 86_400)) {
    problems.push(`ttl must be a whole number of seconds from 0 to 86400 (got ${ttl})`);
  }
  return problems;
}

/** Problems with `endpoints` against the flag's targets: exactly one endpoint per target. */
export function endpointProblems(
  flag: FlagLocation,
  endpoints: Readonly<Record<string, TargetEndpoint>> | undefined,
  recordType: DnsRecordType,
  healthCheckRequired: boolean,
): string[] {
  if (!endpoints || typeof endpoints !== 'object') return ['endpoints is missing'];
  const problems: string[] = [];
  for (const target of flag.targets) {
    if (!(target in endpoints)) {
      problems.push(`endpoints has no entry for target "${target}" of service "${flag.service}"`);
    }
  }
  for (const [target, endpoint] of Object.entries(endpoints)) {
    const at = `endpoints["${target}"]`;
    if (!flag.targets.includes(target)) {
      problems.push(
        `${at}: "${target}" is not a target of service "${flag.service}" (targets: ${flag.targets.join(', ')})`,
      );
      continue;
    }
    problems.push(...recordValueProblems(at, endpoint?.records, recordType));
    if (endpoint?.healthCheck)
      problems.push(...healthCheckProblems(`${at}.healthCheck`, endpoint.healthCheck));
    else if (healthCheckRequired) problems.push(`${at}.healthCheck is missing (every target needs one)`);
  }
  return problems;
}

function recordValueProblems(at: string, records: unknown, recordType: DnsRecordType): string[] {
  if (!Array.isArray(records) || records.length === 0) return [`${at}.records must list at least one value`];
  const problems: string[] = [];
  if (records.some((r) => typeof r !== 'string' || r.trim() === '')) {
    problems.push(`${at}.records holds an empty value`);
  }
  if (recordType === 'CNAME' && records.length > 1) {
    problems.push(`${at}.records: a CNAME has exactly one value (got ${records.length})`);
  }
  return problems;
}

function healthCheckProblems(at: string, hc: HealthCheckOptions): string[] {
  const problems: string[] = [];
  const type = hc.type ?? 'HTTPS';
  if (!CHECK_TYPES.includes(type)) {
    problems.push(`${at}.type must be one of ${CHECK_TYPES.join(', ')} (got ${JSON.stringify(type)})`);
  }
  if (!hc.fqdn && !hc.ipAddress) problems.push(`${at} needs fqdn or ipAddress`);
  if (hc.port !== undefined && !(Number.isInteger(hc.port) && hc.port >= 1 && hc.port <= 65_535)) {
    problems.push(`${at}.port must be a whole number from 1 to 65535 (got ${hc.port})`);
  }
  if (type === 'TCP' && hc.port === undefined) problems.push(`${at}.port is required for a TCP check`);
  if (type === 'TCP' && hc.resourcePath !== undefined) {
    problems.push(`${at}.resourcePath does not apply to a TCP check`);
  }
  if (hc.resourcePath !== undefined && literal(hc.resourcePath) && !hc.resourcePath.startsWith('/')) {
    problems.push(`${at}.resourcePath must start with "/" (got ${JSON.stringify(hc.resourcePath)})`);
  }
  const matches = type.endsWith('_STR_MATCH');
  if (matches && !hc.searchString) problems.push(`${at}.searchString is required for ${type}`);
  if (!matches && hc.searchString !== undefined) {
    problems.push(`${at}.searchString only applies to HTTP_STR_MATCH and HTTPS_STR_MATCH`);
  }
  const threshold = hc.failureThreshold;
  if (threshold !== undefined && !(Number.isInteger(threshold) && threshold >= 1 && threshold <= 10)) {
    problems.push(`${at}.failureThreshold must be a whole number from 1 to 10 (got ${threshold})`);
  }
  if (hc.requestInterval !== undefined && hc.requestInterval !== 10 && hc.requestInterval !== 30) {
    problems.push(`${at}.requestInterval must be 10 or 30 (got ${hc.requestInterval})`);
  }
  return problems;
}

/** One health check for one target, tagged with the service and target it watches. */
export function healthCheckFor(
  scope: Construct,
  flag: FlagLocation,
  target: string,
  hc: HealthCheckOptions,
  provider: TerraformProvider | undefined,
): Route53HealthCheck {
  const type = hc.type ?? 'HTTPS';
  const http = type !== 'TCP';
  return new Route53HealthCheck(scope, `health-${target}`, {
    type,
    ...(hc.fqdn ? { fqdn: hc.fqdn } : {}),
    ...(hc.ipAddress ? { ipAddress: hc.ipAddress } : {}),
    port: hc.port ?? (type.startsWith('HTTPS') ? 443 : 80),
    ...(http ? { resourcePath: hc.resourcePath ?? '/' } : {}),
    ...(hc.searchString ? { searchString: hc.searchString } : {}),
    failureThreshold: hc.failureThreshold ?? 3,
    requestInterval: hc.requestInterval ?? 30,
    tags: {
      Name: `${flag.service}-${target}`,
      'gitops-failover/service': flag.service,
      'gitops-failover/target': target,
    },
    ...(provider ? { provider } : {}),
  });
}
