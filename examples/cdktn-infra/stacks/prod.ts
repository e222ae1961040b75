// Production routing: checkout fails over between two regions with Route 53 failover records (each
// target health-checked, so Route 53 also fails over by itself), edge-gateway splits traffic with
// weighted records. Both follow the flags in state/failover.json at synth time.
import { DataAwsRoute53Zone } from '@cdktn/provider-aws/lib/data-aws-route53-zone/index.js';
import { AwsProvider } from '@cdktn/provider-aws/lib/provider/index.js';
import { TerraformStack } from 'cdktn';
import type { Construct } from 'constructs';
import { ActivePassiveDnsRecord, type FailoverState, WeightedDnsRecords } from 'gitops-failover/cdktn';

export class ProdStack extends TerraformStack {
  constructor(scope: Construct, id: string, state: FailoverState) {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: 'us-east-1' });
    const zone = new DataAwsRoute53Zone(this, 'zone', { name: 'example.com' });

    new ActivePassiveDnsRecord(this, 'checkout', {
      flag: state.activePassive('checkout'),
      zoneId: zone.zoneId,
      recordName: 'checkout.example.com',
      endpoints: {
        'us-east-1': regional('us-east-1', 'checkout'),
        'us-west-2': regional('us-west-2', 'checkout'),
      },
    });

    new WeightedDnsRecords(this, 'edge-gateway', {
      flag: state.weighted('edge-gateway'),
      zoneId: zone.zoneId,
      recordName: 'edge.example.com',
      ttl: 30,
      endpoints: {
        'us-east-1': regional('us-east-1', 'edge', '/ready'),
        'us-west-2': regional('us-west-2', 'edge', '/ready'),
        'eu-west-1': regional('eu-west-1', 'edge', '/ready'),
      },
    });
  }
}

/** The regional host of a service and the health check Route 53 runs against it. */
function regional(target: string, host: string, path = '/healthz') {
  const fqdn = `${target}.${host}.example.com`;
  return {
    records: [fqdn],
    healthCheck: { fqdn, resourcePath: path, failureThreshold: 3, requestInterval: 10 as const },
  };
}
