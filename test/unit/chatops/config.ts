// Configs for the chatops tests, built through the real schema so defaults match production.
import { configSchema, type FailoverConfig } from '../../../src/core/config/schema.js';

let keys = 0;
const service = (targets: string[], extra: Record<string, unknown> = {}) => ({
  targets,
  state: { file: 'envs/prod/failover.auto.tfvars.json', key: `state_${keys++}` },
  ...extra,
});

/** Several services, one weighted, and a group. */
export const multiConfig: FailoverConfig = configSchema.parse({
  version: 1,
  services: {
    checkout: service(['us-east-1', 'us-west-2']),
    search: service(['blue', 'green'], { mode: 'weighted' }),
    'payments-db': service(['us-east-1', 'us-west-2'], { kind: 'database' }),
    'payments-api': service(['us-east-1', 'us-west-2']),
  },
  groups: { payments: ['payments-db', 'payments-api'] },
});

/** One service: `/failover <target>` needs no service name. */
export const singleConfig: FailoverConfig = configSchema.parse({
  version: 1,
  services: { checkout: service(['us-east-1', 'us-west-2', 'eu-west-1']) },
  chatops: { min_permission: 'maintain', teams: ['sre'] },
});
