// The part both record constructs build the same way: per target, an optional health check and one
// Route 53 record identified by the target name (so a flip updates a routing policy in place and never
// replaces a record). Only the routing policy differs between the two kinds.
import type { Route53HealthCheck } from '@cdktn/provider-aws/lib/route53-health-check/index.js';
import { Route53Record, type Route53RecordConfig } from '@cdktn/provider-aws/lib/route53-record/index.js';
import type { Construct } from 'constructs';
import { DEFAULT_TTL, type DnsRecordBaseProps, healthCheckFor, type TargetEndpoint } from './endpoints.js';
import type { FlagLocation } from './state.js';

export type RoutingPolicy = Pick<Route53RecordConfig, 'failoverRoutingPolicy' | 'weightedRoutingPolicy'>;

export interface TargetRecords {
  records: Record<string, Route53Record>;
  healthChecks: Record<string, Route53HealthCheck>;
}

export function recordsPerTarget(
  scope: Construct,
  flag: FlagLocation,
  props: DnsRecordBaseProps & { readonly endpoints: Readonly<Record<string, TargetEndpoint>> },
  routing: (target: string) => RoutingPolicy,
): TargetRecords {
  const out: TargetRecords = { records: {}, healthChecks: {} };
  const provider = props.provider;
  for (const target of flag.targets) {
    const endpoint = props.endpoints[target] as TargetEndpoint;
    const check = endpoint.healthCheck
      ? healthCheckFor(scope, flag, target, endpoint.healthCheck, provider)
      : undefined;
    if (check) out.healthChecks[target] = check;
    out.records[target] = new Route53Record(scope, `record-${target}`, {
      zoneId: props.zoneId,
      name: props.recordName,
      type: props.recordType ?? 'CNAME',
      ttl: props.ttl ?? DEFAULT_TTL,
      records: [...endpoint.records],
      // The target name, not its role: the identity stays put when the flag moves.
      setIdentifier: target,
      ...routing(target),
      ...(check ? { healthCheckId: check.id } : {}),
      ...(provider ? { provider } : {}),
    });
  }
  return out;
}
