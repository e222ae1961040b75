// Route 53 weighted records for a weighted service: one record per target whose weight is the flag's
// `{target: weight}` value. A target at weight 0 keeps its record (Route 53 sends it nothing unless every
// weight is 0), so draining and restoring a target only change weights, never a resource's identity.
import type { Route53HealthCheck } from '@cdktn/provider-aws/lib/route53-health-check/index.js';
import type { Route53Record } from '@cdktn/provider-aws/lib/route53-record/index.js';
import { Construct } from 'constructs';
import { baseProblems, type DnsRecordBaseProps, endpointProblems, type TargetEndpoint } from './endpoints.js';
import { assertFlagGiven, throwIfProblems } from './errors.js';
import { recordsPerTarget } from './records.js';
import type { WeightedFlag } from './state.js';

export interface WeightedDnsRecordsProps extends DnsRecordBaseProps {
  /** The service's flag, usually `readFailoverState(repo).weighted('edge-gateway')`. */
  readonly flag: WeightedFlag;
  /**
   * One endpoint per target of the service, keyed by target name. A health check is optional here but
   * recommended: Route 53 then skips an unhealthy target's weight by itself.
   */
  readonly endpoints: Readonly<Record<string, TargetEndpoint>>;
}

const MAX_WEIGHT = 255;

export class WeightedDnsRecords extends Construct {
  /** The record of each target, keyed by target name. */
  readonly records: Readonly<Record<string, Route53Record>>;
  /** The health check of each target that has one, keyed by target name. */
  readonly healthChecks: Readonly<Record<string, Route53HealthCheck>>;

  constructor(scope: Construct, id: string, props: WeightedDnsRecordsProps) {
    super(scope, id);
    validate(this.node.path, props);
    const { flag } = props;
    const built = recordsPerTarget(this, flag, props, (target) => ({
      weightedRoutingPolicy: { weight: flag.weights[target] ?? 0 },
    }));
    this.records = built.records;
    this.healthChecks = built.healthChecks;
  }
}

function validate(path: string, props: WeightedDnsRecordsProps): void {
  assertFlagGiven(`WeightedDnsRecords ${path}`, props?.flag, 'weighted');
  const { flag } = props;
  const problems = baseProblems(props);
  if (flag.mode !== 'weighted' || !flag.weights || typeof flag.weights !== 'object') {
    problems.push(`flag: service "${flag.service}" is not mode weighted; use ActivePassiveDnsRecord`);
  } else {
    problems.push(...weightProblemsOf(flag));
  }
  problems.push(...endpointProblems(flag, props.endpoints, props.recordType ?? 'CNAME', false));
  throwIfProblems(`WeightedDnsRecords ${path}`, problems);
}

/** Route 53 takes whole weights 0-255; the flag must give one to every target and no other key. */
function weightProblemsOf(flag: WeightedFlag): string[] {
  const problems: string[] = [];
  for (const [target, weight] of Object.entries(flag.weights)) {
    if (!flag.targets.includes(target)) {
      problems.push(`flag.weights: "${target}" is not a target of service "${flag.service}"`);
    } else if (!(Number.isInteger(weight) && weight >= 0 && weight <= MAX_WEIGHT)) {
      problems.push(
        `flag.weights["${target}"] must be a whole number from 0 to ${MAX_WEIGHT} for Route 53 (got ${weight})`,
      );
    }
  }
  if (!Object.values(flag.weights).some((w) => w > 0)) problems.push('flag.weights: every weight is 0');
  return problems;
}
