// Shared by the construct tests: flags and endpoints for a two-region service and a three-region
// weighted one, and the synthesised JSON of a scope, parsed.
import { Testing } from 'cdktn';
import type { Construct } from 'constructs';
import type {
  ActivePassiveFlag,
  FailoverEndpoint,
  TargetEndpoint,
  WeightedFlag,
} from '../../../../src/iac/constructs/index.js';

export const checkoutFlag = (active = 'us-east-1'): ActivePassiveFlag => ({
  mode: 'active-passive',
  service: 'checkout',
  file: 'state/failover.json',
  key: 'checkout_active_region',
  targets: ['us-east-1', 'us-west-2'],
  active,
});

export const edgeFlag = (
  weights: Record<string, number> = { 'us-east-1': 50, 'us-west-2': 30, 'eu-west-1': 20 },
): WeightedFlag => ({
  mode: 'weighted',
  service: 'edge-gateway',
  file: 'state/failover.json',
  key: 'edge_gateway_weights',
  targets: ['us-east-1', 'us-west-2', 'eu-west-1'],
  weights,
});

export function endpoint(target: string, host = 'checkout'): FailoverEndpoint {
  const fqdn = `${target}.${host}.example.com`;
  return { records: [fqdn], healthCheck: { fqdn, resourcePath: '/healthz' } };
}

export const checkoutEndpoints = (): Record<string, FailoverEndpoint> => ({
  'us-east-1': endpoint('us-east-1'),
  'us-west-2': endpoint('us-west-2'),
});

export const edgeEndpoints = (): Record<string, TargetEndpoint> => ({
  'us-east-1': endpoint('us-east-1', 'edge'),
  'us-west-2': endpoint('us-west-2', 'edge'),
  'eu-west-1': { records: ['eu-west-1.edge.example.com'] },
});

// biome-ignore lint/suspicious/noExplicitAny: synthesised Terraform JSON, asserted field by field
export type Resources = Record<string, Record<string, any>>;

/** The `resource` block of what `build` synthesises, plus the raw JSON for the cdktn matchers. */
export function synth(build: (scope: Construct) => void): { json: string; resources: Resources } {
  const json = Testing.synthScope(build);
  return { json, resources: (JSON.parse(json) as { resource: Resources }).resource };
}

/** The resources of one type keyed by the target in their `set_identifier` or tags. */
export function byTarget(resources: Resources, type: string): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const resource of Object.values(resources[type] ?? {})) {
    const target = resource.set_identifier ?? resource.tags?.['gitops-failover/target'];
    out[target] = resource;
  }
  return out;
}
