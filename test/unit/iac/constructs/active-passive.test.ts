// ActivePassiveDnsRecord synthesised with cdktn's Testing.synthScope: the records and health checks it
// produces, and a clear error for every bad prop.
import { AwsProvider } from '@cdktn/provider-aws/lib/provider/index.js';
import { Testing } from 'cdktn';
import { describe, expect, it } from 'vitest';
import {
  ActivePassiveDnsRecord,
  type ActivePassiveDnsRecordProps,
  FailoverSynthError,
} from '../../../../src/iac/constructs/index.js';
import { byTarget, checkoutEndpoints, checkoutFlag, endpoint, synth } from './synth.js';

const props = (over: Partial<ActivePassiveDnsRecordProps> = {}): ActivePassiveDnsRecordProps => ({
  flag: checkoutFlag(),
  zoneId: 'Z0123456789ABC',
  recordName: 'checkout.example.com',
  endpoints: checkoutEndpoints(),
  ...over,
});

describe('ActivePassiveDnsRecord', () => {
  it('makes the active target PRIMARY and the other SECONDARY, each with its own health check, TTL 60', () => {
    const { json, resources } = synth((scope) => new ActivePassiveDnsRecord(scope, 'checkout', props()));
    const records = byTarget(resources, 'aws_route53_record');
    const checks = byTarget(resources, 'aws_route53_health_check');
    expect(Object.keys(records).sort()).toEqual(['us-east-1', 'us-west-2']);
    expect(Object.keys(checks).sort()).toEqual(['us-east-1', 'us-west-2']);
    const checkIds = Object.fromEntries(
      Object.entries(resources.aws_route53_health_check ?? {}).map(([id, r]) => [
        r.tags['gitops-failover/target'],
        id,
      ]),
    );
    expect(records['us-east-1']).toEqual({
      zone_id: 'Z0123456789ABC',
      name: 'checkout.example.com',
      type: 'CNAME',
      ttl: 60,
      records: ['us-east-1.checkout.example.com'],
      set_identifier: 'us-east-1',
      failover_routing_policy: { type: 'PRIMARY' },
      health_check_id: `\${aws_route53_health_check.${checkIds['us-east-1']}.id}`,
    });
    expect(records['us-west-2']).toMatchObject({
      set_identifier: 'us-west-2',
      failover_routing_policy: { type: 'SECONDARY' },
      health_check_id: `\${aws_route53_health_check.${checkIds['us-west-2']}.id}`,
    });
    expect(checks['us-west-2']).toEqual({
      type: 'HTTPS',
      fqdn: 'us-west-2.checkout.example.com',
      port: 443,
      resource_path: '/healthz',
      failure_threshold: 3,
      request_interval: 30,
      tags: {
        Name: 'checkout-us-west-2',
        'gitops-failover/service': 'checkout',
        'gitops-failover/target': 'us-west-2',
      },
    });
    // the same through cdktn's own matchers
    expect(
      Testing.toHaveResourceWithProperties(json, 'aws_route53_record', {
        set_identifier: 'us-east-1',
        failover_routing_policy: { type: 'PRIMARY' },
        ttl: 60,
      }),
    ).toBe(true);
    expect(
      Testing.toHaveResourceWithProperties(json, 'aws_route53_record', {
        set_identifier: 'us-east-1',
        failover_routing_policy: { type: 'SECONDARY' },
      }),
    ).toBe(false);
  });

  it('follows the flag: us-west-2 active makes it PRIMARY', () => {
    const { json } = synth(
      (scope) => new ActivePassiveDnsRecord(scope, 'checkout', props({ flag: checkoutFlag('us-west-2') })),
    );
    expect(
      Testing.toHaveResourceWithProperties(json, 'aws_route53_record', {
        set_identifier: 'us-west-2',
        failover_routing_policy: { type: 'PRIMARY' },
      }),
    ).toBe(true);
    expect(
      Testing.toHaveResourceWithProperties(json, 'aws_route53_record', {
        set_identifier: 'us-east-1',
        failover_routing_policy: { type: 'SECONDARY' },
      }),
    ).toBe(true);
  });

  it('takes A records, a TTL, TCP and string-match checks, and a provider alias', () => {
    const { resources } = synth((scope) => {
      const provider = new AwsProvider(scope, 'aws-dns', { region: 'us-east-1', alias: 'dns' });
      new ActivePassiveDnsRecord(scope, 'db', {
        ...props(),
        recordType: 'A',
        ttl: 30,
        provider,
        endpoints: {
          'us-east-1': {
            records: ['192.0.2.10', '192.0.2.11'],
            healthCheck: {
              type: 'TCP',
              ipAddress: '192.0.2.10',
              port: 5432,
              failureThreshold: 2,
              requestInterval: 10,
            },
          },
          'us-west-2': {
            records: ['198.51.100.10'],
            healthCheck: {
              type: 'HTTP_STR_MATCH',
              fqdn: 'us-west-2.db.example.com',
              resourcePath: '/status',
              searchString: 'primary-ready',
            },
          },
        },
      });
    });
    const records = byTarget(resources, 'aws_route53_record');
    const checks = byTarget(resources, 'aws_route53_health_check');
    expect(records['us-east-1']).toMatchObject({
      type: 'A',
      ttl: 30,
      records: ['192.0.2.10', '192.0.2.11'],
      provider: 'aws.dns',
    });
    expect(checks['us-east-1']).toMatchObject({
      type: 'TCP',
      ip_address: '192.0.2.10',
      port: 5432,
      failure_threshold: 2,
      request_interval: 10,
      provider: 'aws.dns',
    });
    expect(checks['us-east-1']).not.toHaveProperty('resource_path');
    expect(checks['us-west-2']).toMatchObject({
      type: 'HTTP_STR_MATCH',
      port: 80,
      resource_path: '/status',
      search_string: 'primary-ready',
    });
  });

  const bad: [string, Partial<ActivePassiveDnsRecordProps>, string][] = [
    ['an empty zoneId', { zoneId: ' ' }, 'zoneId is empty'],
    ['an empty recordName', { recordName: '' }, 'recordName is empty'],
    [
      'an unknown recordType',
      { recordType: 'MX' as never },
      'recordType must be A, AAAA or CNAME (got "MX")',
    ],
    ['a negative ttl', { ttl: -1 }, 'ttl must be a whole number of seconds from 0 to 86400 (got -1)'],
    ['a fractional ttl', { ttl: 1.5 }, 'ttl must be a whole number of seconds from 0 to 86400 (got 1.5)'],
    [
      'a ttl above a day',
      { ttl: 86_401 },
      'ttl must be a whole number of seconds from 0 to 86400 (got 86401)',
    ],
    [
      'no flag',
      { flag: undefined as never },
      'flag is missing (pass readFailoverState(repo).activePassive(service))',
    ],
    [
      'a weighted flag',
      { flag: { ...checkoutFlag(), mode: 'weighted' } as never },
      'flag: service "checkout" is mode weighted; use WeightedDnsRecords',
    ],
    [
      'an active target outside the targets',
      { flag: checkoutFlag('eu-central-1') },
      'flag: active target "eu-central-1" is not a target of service "checkout" (targets: us-east-1, us-west-2)',
    ],
    [
      'three targets',
      {
        flag: { ...checkoutFlag(), targets: ['us-east-1', 'us-west-2', 'eu-west-1'] },
        endpoints: { ...checkoutEndpoints(), 'eu-west-1': endpoint('eu-west-1') },
      },
      'flag: service "checkout" has 3 targets; Route 53 failover routing takes exactly 2 (use WeightedDnsRecords for more)',
    ],
    ['no endpoints', { endpoints: undefined as never }, 'endpoints is missing'],
    [
      'a target without an endpoint',
      { endpoints: { 'us-east-1': endpoint('us-east-1') } },
      'endpoints has no entry for target "us-west-2" of service "checkout"',
    ],
    [
      'an endpoint for an unknown target',
      { endpoints: { ...checkoutEndpoints(), 'ap-south-1': endpoint('ap-south-1') } },
      'endpoints["ap-south-1"]: "ap-south-1" is not a target of service "checkout" (targets: us-east-1, us-west-2)',
    ],
    [
      'no record values',
      { endpoints: { ...checkoutEndpoints(), 'us-west-2': { ...endpoint('us-west-2'), records: [] } } },
      'endpoints["us-west-2"].records must list at least one value',
    ],
    [
      'an empty record value',
      {
        recordType: 'A',
        endpoints: { ...checkoutEndpoints(), 'us-west-2': { ...endpoint('us-west-2'), records: [''] } },
      },
      'endpoints["us-west-2"].records holds an empty value',
    ],
    [
      'two values for a CNAME',
      {
        endpoints: {
          ...checkoutEndpoints(),
          'us-west-2': { ...endpoint('us-west-2'), records: ['a.example.com', 'b.example.com'] },
        },
      },
      'endpoints["us-west-2"].records: a CNAME has exactly one value (got 2)',
    ],
    [
      'a target without a health check',
      {
        endpoints: {
          ...checkoutEndpoints(),
          'us-west-2': { records: ['us-west-2.checkout.example.com'] } as never,
        },
      },
      'endpoints["us-west-2"].healthCheck is missing (every target needs one)',
    ],
  ];
  const badCheck: [string, Record<string, unknown>, string][] = [
    [
      'an unknown check type',
      { type: 'ICMP' },
      '.type must be one of HTTP, HTTPS, HTTP_STR_MATCH, HTTPS_STR_MATCH, TCP (got "ICMP")',
    ],
    ['neither fqdn nor ipAddress', { fqdn: undefined }, ' needs fqdn or ipAddress'],
    ['port 0', { port: 0 }, '.port must be a whole number from 1 to 65535 (got 0)'],
    ['port 70000', { port: 70_000 }, '.port must be a whole number from 1 to 65535 (got 70000)'],
    [
      'a TCP check without a port',
      { type: 'TCP', resourcePath: undefined },
      '.port is required for a TCP check',
    ],
    ['a TCP check with a path', { type: 'TCP', port: 443 }, '.resourcePath does not apply to a TCP check'],
    [
      'a path without a slash',
      { resourcePath: 'healthz' },
      '.resourcePath must start with "/" (got "healthz")',
    ],
    [
      'a string match without a string',
      { type: 'HTTPS_STR_MATCH' },
      '.searchString is required for HTTPS_STR_MATCH',
    ],
    [
      'a search string on plain HTTPS',
      { searchString: 'ok' },
      '.searchString only applies to HTTP_STR_MATCH and HTTPS_STR_MATCH',
    ],
    [
      'failureThreshold 0',
      { failureThreshold: 0 },
      '.failureThreshold must be a whole number from 1 to 10 (got 0)',
    ],
    [
      'failureThreshold 11',
      { failureThreshold: 11 },
      '.failureThreshold must be a whole number from 1 to 10 (got 11)',
    ],
    ['requestInterval 20', { requestInterval: 20 }, '.requestInterval must be 10 or 30 (got 20)'],
  ];
  for (const [what, check, message] of badCheck) {
    bad.push([
      `a health check with ${what}`,
      {
        endpoints: {
          ...checkoutEndpoints(),
          'us-west-2': {
            ...endpoint('us-west-2'),
            healthCheck: { ...endpoint('us-west-2').healthCheck, ...check } as never,
          },
        },
      },
      `endpoints["us-west-2"].healthCheck${message}`,
    ]);
  }

  it.each(bad)('refuses %s with a message naming the construct and the prop', (_what, over, message) => {
    const attempt = () => synth((scope) => new ActivePassiveDnsRecord(scope, 'checkout', props(over)));
    expect(attempt).toThrow(FailoverSynthError);
    expect(attempt).toThrow(`ActivePassiveDnsRecord stack/checkout: ${message}`);
  });

  it('lists every problem at once', () => {
    const attempt = () =>
      synth(
        (scope) =>
          new ActivePassiveDnsRecord(
            scope,
            'checkout',
            props({ zoneId: '', ttl: -5, flag: checkoutFlag('nowhere') }),
          ),
      );
    expect(attempt).toThrow(
      [
        'ActivePassiveDnsRecord stack/checkout:',
        '  - zoneId is empty',
        '  - ttl must be a whole number of seconds from 0 to 86400 (got -5)',
        '  - flag: active target "nowhere" is not a target of service "checkout" (targets: us-east-1, us-west-2)',
      ].join('\n'),
    );
  });
});
