// gitops-failover/cdktn: constructs that turn the desired-state flag into failover routing at synth
// time. cdktn, constructs and @cdktn/provider-aws are the infra repo's own (optional peer) dependencies;
// only single resource modules of the provider are imported, never its package root.
export {
  ActivePassiveDnsRecord,
  type ActivePassiveDnsRecordProps,
  type FailoverEndpoint,
} from './active-passive.js';
export {
  DEFAULT_TTL,
  type DnsRecordBaseProps,
  type DnsRecordType,
  type HealthCheckOptions,
  type HealthCheckType,
  type TargetEndpoint,
} from './endpoints.js';
export { FailoverSynthError } from './errors.js';
export {
  type ActivePassiveFlag,
  FailoverState,
  type FlagLocation,
  type ReadFailoverStateOptions,
  readFailoverState,
  type ServiceFlag,
  type WeightedFlag,
} from './state.js';
export { WeightedDnsRecords, type WeightedDnsRecordsProps } from './weighted.js';
