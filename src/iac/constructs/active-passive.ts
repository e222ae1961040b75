// Route 53 failover records for an active-passive service. The flag the bot flips picks the PRIMARY; the
// other target is SECONDARY. Each record carries its own health check, so Route 53 still moves traffic by
// itself within the TTL when the reviewed GitOps path is slow or GitHub is down: a data-plane fallback
// under the control-plane flip. A flip changes only the two failover types, never a resource's identity.
import type { Route53HealthCheck } from '@cdktn/provider-aws/lib/route53-health-check/index.js';
import type { Route53Record } from '@cdktn/provider-aws/lib/route53-record/index.js';
import { Construct } from 'constructs';
import {
  baseProblems,
  type DnsRecordBaseProps,
  endpointProblems,
  type HealthCheckOptions,
  type TargetEndpoint,
} from './endpoints.js';
import { assertFlagGiven, throwIfProblems } from './errors.js';
import { recordsPerTarget } from './records.js';
import type { ActivePassiveFlag } from './state.js';

/** A target's endpoint in an active-passive pair: the health check is required. */
export interface FailoverEndpoint extends TargetEndpoint {
  /** The Route 53 health check of this target; Route 53 fails over by itself when it turns unhealthy. */
  readonly healthCheck: HealthCheckOptions;
}

export interface ActivePassiveDnsRecordProps extends DnsRecordBaseProps {
  /** The service's flag, usually `readFailoverState(repo).activePassive('checkout')`. Exactly two targets. */
  readonly flag: ActivePassiveFlag;
  /** One endpoint per target of the service, keyed by target name. */
  readonly endpoints: Readonly<Record<string, FailoverEndpoint>>;
}

export class ActivePassiveDnsRecord extends Construct {
  /** The record of each target, keyed by target name. */
  readonly records: Readonly<Record<string, Route53Record>>;
  /** The health check of each target, keyed by target name. */
  readonly healthChecks: Readonly<Record<string, Route53HealthCheck>>;

  constructor(scope: Construct, id: string, props: ActivePassiveDnsRecordProps) {
    super(scope, id);
    validate(this.node.path, props);
    const { flag } = props;
    const built = recordsPerTarget(this, flag, props, (target) => ({
      failoverRoutingPolicy: { type: target === flag.active ? 'PRIMARY' : 'SECONDARY' },
    }));
    this.records = built.records;
    this.healthChecks = built.healthChecks;
  }
}

function validate(path: string, props: ActivePassiveDnsRecordProps): void {
  assertFlagGiven(`ActivePassiveDnsRecord ${path}`, props?.flag, 'activePassive');
  const { flag } = props;
  const problems = baseProblems(props);
  if (flag.mode !== 'active-passive') {
    problems.push(`flag: service "${flag.service}" is mode ${flag.mode}; use WeightedDnsRecords`);
  } else if (!flag.targets.includes(flag.active)) {
    problems.push(
      `flag: active target "${flag.active}" is not a target of service "${flag.service}" (targets: ${flag.targets.join(', ')})`,
    );
  }
  if (flag.targets.length !== 2) {
    // Route 53 accepts one PRIMARY and one SECONDARY record per name and type.
    problems.push(
      `flag: service "${flag.service}" has ${flag.targets.length} targets; Route 53 failover routing takes exactly 2 (use WeightedDnsRecords for more)`,
    );
  }
  problems.push(...endpointProblems(flag, props.endpoints, props.recordType ?? 'CNAME', true));
  throwIfProblems(`ActivePassiveDnsRecord ${path}`, problems);
}
