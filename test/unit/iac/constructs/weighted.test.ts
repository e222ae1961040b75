// WeightedDnsRecords synthesised with cdktn's Testing.synthScope: one weighted record per target from
// the {target: weight} flag, optional health checks, and a clear error for every bad prop.
import { Testing } from 'cdktn';
import { describe, expect, it } from 'vitest';
import {
  FailoverSynthError,
  WeightedDnsRecords,
  type WeightedDnsRecordsProps,
} from '../../../../src/iac/constructs/index.js';
import { byTarget, checkoutFlag, edgeEndpoints, edgeFlag, endpoint, synth } from './synth.js';

const props = (over: Partial<WeightedDnsRecordsProps> = {}): WeightedDnsRecordsProps => ({
  flag: edgeFlag(),
  zoneId: 'Z0123456789ABC',
  recordName: 'edge.example.com',
  endpoints: edgeEndpoints(),
  ...over,
});

describe('WeightedDnsRecords', () => {
  it('gives every target a weighted record with its weight, TTL 60, and a health check where one is asked for', () => {
    const { json, resources } = synth((scope) => new WeightedDnsRecords(scope, 'edge', props()));
    const records = byTarget(resources, 'aws_route53_record');
    const checks = byTarget(resources, 'aws_route53_health_check');
    expect(Object.keys(records).sort()).toEqual(['eu-west-1', 'us-east-1', 'us-west-2']);
    const weights = Object.fromEntries(
      Object.entries(records).map(([t, r]) => [t, (r.weighted_routing_policy as { weight: number }).weight]),
    );
    expect(weights).toEqual({ 'us-east-1': 50, 'us-west-2': 30, 'eu-west-1': 20 });
    expect(records['us-east-1']).toMatchObject({
      zone_id: 'Z0123456789ABC',
      name: 'edge.example.com',
      type: 'CNAME',
      ttl: 60,
      records: ['us-east-1.edge.example.com'],
      set_identifier: 'us-east-1',
    });
    expect(records['us-east-1']).not.toHaveProperty('failover_routing_policy');
    // eu-west-1 has no health check; the others point at theirs
    expect(Object.keys(checks).sort()).toEqual(['us-east-1', 'us-west-2']);
    expect(records['eu-west-1']).not.toHaveProperty('health_check_id');
    expect(String(records['us-west-2']?.health_check_id)).toMatch(
      /^\$\{aws_route53_health_check\.edge_health-us-west-2_[0-9A-F]+\.id\}$/,
    );
    expect(
      Testing.toHaveResourceWithProperties(json, 'aws_route53_health_check', {
        fqdn: 'us-west-2.edge.example.com',
        resource_path: '/healthz',
        type: 'HTTPS',
      }),
    ).toBe(true);
  });

  it('keeps a drained target at weight 0 instead of deleting its record', () => {
    const { json, resources } = synth(
      (scope) =>
        new WeightedDnsRecords(
          scope,
          'edge',
          props({ flag: edgeFlag({ 'us-east-1': 0, 'us-west-2': 60, 'eu-west-1': 40 }) }),
        ),
    );
    expect(Object.keys(byTarget(resources, 'aws_route53_record'))).toHaveLength(3);
    expect(
      Testing.toHaveResourceWithProperties(json, 'aws_route53_record', {
        set_identifier: 'us-east-1',
        weighted_routing_policy: { weight: 0 },
      }),
    ).toBe(true);
  });

  const bad: [string, Partial<WeightedDnsRecordsProps>, string][] = [
    ['an empty zoneId', { zoneId: '' }, 'zoneId is empty'],
    ['an empty recordName', { recordName: ' ' }, 'recordName is empty'],
    [
      'an unknown recordType',
      { recordType: 'TXT' as never },
      'recordType must be A, AAAA or CNAME (got "TXT")',
    ],
    ['a ttl of -1', { ttl: -1 }, 'ttl must be a whole number of seconds from 0 to 86400 (got -1)'],
    [
      'no flag',
      { flag: undefined as never },
      'flag is missing (pass readFailoverState(repo).weighted(service))',
    ],
    [
      'an active-passive flag',
      {
        flag: checkoutFlag() as never,
        endpoints: { 'us-east-1': endpoint('us-east-1'), 'us-west-2': endpoint('us-west-2') },
      },
      'flag: service "checkout" is not mode weighted; use ActivePassiveDnsRecord',
    ],
    [
      'a weight for an unknown target',
      { flag: edgeFlag({ 'us-east-1': 50, 'us-west-2': 30, 'eu-west-1': 20, 'ap-south-1': 5 }) },
      'flag.weights: "ap-south-1" is not a target of service "edge-gateway"',
    ],
    [
      'a fractional weight',
      { flag: edgeFlag({ 'us-east-1': 49.5, 'us-west-2': 30, 'eu-west-1': 20 }) },
      'flag.weights["us-east-1"] must be a whole number from 0 to 255 for Route 53 (got 49.5)',
    ],
    [
      'a weight above 255',
      { flag: edgeFlag({ 'us-east-1': 256, 'us-west-2': 0, 'eu-west-1': 0 }) },
      'flag.weights["us-east-1"] must be a whole number from 0 to 255 for Route 53 (got 256)',
    ],
    [
      'every weight 0',
      { flag: edgeFlag({ 'us-east-1': 0, 'us-west-2': 0, 'eu-west-1': 0 }) },
      'flag.weights: every weight is 0',
    ],
    ['no endpoints', { endpoints: undefined as never }, 'endpoints is missing'],
    [
      'a target without an endpoint',
      { endpoints: { 'us-east-1': endpoint('us-east-1'), 'us-west-2': endpoint('us-west-2') } },
      'endpoints has no entry for target "eu-west-1" of service "edge-gateway"',
    ],
    [
      'an endpoint for an unknown target',
      { endpoints: { ...edgeEndpoints(), 'ap-south-1': endpoint('ap-south-1') } },
      'endpoints["ap-south-1"]: "ap-south-1" is not a target of service "edge-gateway" (targets: us-east-1, us-west-2, eu-west-1)',
    ],
    [
      'no record values',
      { endpoints: { ...edgeEndpoints(), 'eu-west-1': { records: [] } } },
      'endpoints["eu-west-1"].records must list at least one value',
    ],
    [
      'a bad health check',
      {
        endpoints: {
          ...edgeEndpoints(),
          'eu-west-1': { records: ['x.example.com'], healthCheck: { fqdn: 'x.example.com', port: 0 } },
        },
      },
      'endpoints["eu-west-1"].healthCheck.port must be a whole number from 1 to 65535 (got 0)',
    ],
  ];

  it.each(bad)('refuses %s with a message naming the construct and the prop', (_what, over, message) => {
    const attempt = () => synth((scope) => new WeightedDnsRecords(scope, 'edge', props(over)));
    expect(attempt).toThrow(FailoverSynthError);
    expect(attempt).toThrow(`WeightedDnsRecords stack/edge: ${message}`);
  });
});
