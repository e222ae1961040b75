// The small pure pieces the normalisers stand on, and source-specific rules not covered by fixtures.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  awsRegionCode,
  detectSource,
  fnv1a64,
  labelsFingerprint,
  normaliseNotification,
  normaliseSeverity,
  snsSignatureAlgorithm,
  snsStringToSign,
} from '../../../src/core/alerts/index.js';
import { parseTime } from '../../../src/core/alerts/time.js';
import { PayloadError } from '../../../src/core/errors.js';
import { loadFixture } from './load-fixture.js';

describe('parseTime', () => {
  it.each([
    ['2020-02-06T00:17:58.432911368Z', '2020-02-06T00:17:58.432Z'],
    ['2018-11-04T22:43:58.283995108+01:00', '2018-11-04T21:43:58.283Z'],
    ['2018-03-07T06:33:21.873077559-05:00', '2018-03-07T11:33:21.873Z'],
    ['2019-02-15T23:53:45.093+0000', '2019-02-15T23:53:45.093Z'],
    ['2024-03-01T02:09:00Z', '2024-03-01T02:09:00.000Z'],
    ['2024-12-31T23:30:00-01:00', '2025-01-01T00:30:00.000Z'],
    ['2024-02-29T12:00:00.9999999Z', '2024-02-29T12:00:00.999Z'],
  ])('%s → %s', (input, iso) => {
    expect(parseTime(input)).toEqual({ kind: 'time', iso });
  });

  it('knows Go zero time and rejects impossible values', () => {
    expect(parseTime('0001-01-01T00:00:00Z')).toEqual({ kind: 'zero' });
    expect(parseTime('2023-02-29T00:00:00Z').kind).toBe('invalid');
    expect(parseTime('2024-01-01T24:00:00Z').kind).toBe('invalid');
    expect(parseTime('2024-01-01T10:00:00+25:00').kind).toBe('invalid');
    expect(parseTime('2024-01-01').kind).toBe('invalid');
    expect(parseTime('1700000000').kind).toBe('invalid');
  });
});

describe('fingerprints', () => {
  it('FNV-1a 64 matches the published test vectors', () => {
    expect(fnv1a64('')).toBe('cbf29ce484222325');
    expect(fnv1a64('a')).toBe('af63dc4c8601ec8c');
    expect(fnv1a64('foobar')).toBe('85944171f73967e8');
  });

  it('equals a straightforward BigInt FNV-1a over TextEncoder bytes, for any string', () => {
    const reference = (text: string): string => {
      let h = 0xcbf29ce484222325n;
      for (const byte of new TextEncoder().encode(text))
        h = ((h ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
      return h.toString(16).padStart(16, '0');
    };
    const text = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.string({
        unit: fc.constantFrom('a', 'é', '€', '😀', '\ud800', '\udfff', '\u0000', '\u07ff', '\u0800'),
      }),
    );
    fc.assert(
      fc.property(text, (value) => fnv1a64(value) === reference(value)),
      { numRuns: 500 },
    );
  });

  it('a label set hashes like Alertmanager does (fixture alert carries the real one)', () => {
    const labels = { alertname: 'High CPU Temperature', host: 'andromeda', severity: 'critical' };
    expect(labelsFingerprint(labels)).toBe('a1bc48475b20e73d');
    expect(
      labelsFingerprint({ severity: 'critical', host: 'andromeda', alertname: 'High CPU Temperature' }),
    ).toBe('a1bc48475b20e73d');
    expect(labelsFingerprint({ ...labels, host: 'betelgeuse' })).not.toBe('a1bc48475b20e73d');
  });
});

describe('awsRegionCode', () => {
  it.each([
    ['US East (N. Virginia)', 'us-east-1'],
    ['US West (Oregon)', 'us-west-2'],
    ['EU (Ireland)', 'eu-west-1'],
    ['Europe (Frankfurt)', 'eu-central-1'],
    ['Asia Pacific (Seoul)', 'ap-northeast-2'],
    ['South America (São Paulo)', 'sa-east-1'],
    ['South America (Sao Paulo)', 'sa-east-1'],
    ['AWS GovCloud (US-East)', 'us-gov-east-1'],
    ['Canada West (Calgary)', 'ca-west-1'],
    ['eu-south-2', 'eu-south-2'],
  ])('%s → %s', (name, code) => {
    expect(awsRegionCode(name)).toBe(code);
  });

  it('unknown names give undefined', () => {
    expect(awsRegionCode('Moon (Tranquility Base)')).toBeUndefined();
  });
});

describe('severity', () => {
  it.each([
    ['critical', 'critical'],
    ['Page', 'critical'],
    ['P1', 'critical'],
    ['high', 'error'],
    ['warn', 'warning'],
    ['informational', 'info'],
    ['sev-2', 'error'],
    ['purple', undefined],
  ])('%s → %s', (word, severity) => {
    expect(normaliseSeverity(word)).toBe(severity);
  });

  it('Alertmanager labels.severity is normalised; the original word is kept as an annotation', () => {
    const body = loadFixture('alertmanager/firing-single-fire-critical.json') as {
      alerts: { labels: Record<string, string> }[];
    };
    const alert = body.alerts[0];
    if (alert) alert.labels.severity = 'page';
    const [signal] = normaliseNotification(body).signals;
    expect(signal?.labels.severity).toBe('critical');
    expect(signal?.annotations.source_severity).toBe('page');
    // The fingerprint is computed from the labels as sent, before normalising.
    expect(signal?.fingerprint).toBe(labelsFingerprint({ alertname: 'Fire', severity: 'page' }));
  });
});

describe('snsStringToSign', () => {
  it('Notification: Message, MessageId, Subject, Timestamp, TopicArn, Type', () => {
    const envelope = loadFixture('sns-cloudwatch/notification-alarm-s3-bucket-size.json') as Record<
      string,
      string
    >;
    expect(snsStringToSign(envelope)).toBe(
      `Message\n${envelope.Message}\nMessageId\ne288882d-4281-5be4-8fde-dccc11c8cb01\n` +
        'Subject\nALARM: "bucketbytesAlarm" in EU (Ireland)\nTimestamp\n2019-02-15T23:53:45.134Z\n' +
        'TopicArn\narn:aws:sns:eu-west-1:1234567890:alerta-test\nType\nNotification\n',
    );
    expect(snsSignatureAlgorithm(envelope)).toBe('RSA-SHA1');
  });

  it('Notification without Subject leaves the pair out', () => {
    const envelope = loadFixture(
      'sns-cloudwatch/notification-non-cloudwatch-aws-health-event.json',
    ) as Record<string, string>;
    const text = snsStringToSign({ ...envelope, SignatureVersion: '2' });
    expect(text.startsWith('Message\n{\n  "version": "0"')).toBe(true);
    expect(text).not.toContain('Subject\n');
    expect(
      text.endsWith(
        'Timestamp\n2022-02-18T08:27:17.407Z\nTopicArn\narn:aws:sns:ap-southeast-2:257706363616:phd-info-dev\nType\nNotification\n',
      ),
    ).toBe(true);
    expect(snsSignatureAlgorithm({ ...envelope, SignatureVersion: '2' })).toBe('RSA-SHA256');
  });

  it('SubscriptionConfirmation: Message, MessageId, SubscribeURL, Timestamp, Token, TopicArn, Type', () => {
    const envelope = loadFixture('sns-cloudwatch/subscription-confirmation.json') as Record<string, string>;
    const e = envelope;
    expect(snsStringToSign(envelope)).toBe(
      `Message\n${e.Message}\nMessageId\n${e.MessageId}\nSubscribeURL\n${e.SubscribeURL}\nTimestamp\n${e.Timestamp}\n` +
        `Token\n${e.Token}\nTopicArn\n${e.TopicArn}\nType\nSubscriptionConfirmation\n`,
    );
    expect(e.Message).toContain('\n'); // the value is signed as is, newline included
    expect(
      snsStringToSign({ ...envelope, Type: 'UnsubscribeConfirmation' }).endsWith(
        'Type\nUnsubscribeConfirmation\n',
      ),
    ).toBe(true);
  });

  it('refuses what cannot be verified', () => {
    const envelope = loadFixture('sns-cloudwatch/subscription-confirmation.json') as Record<string, string>;
    expect(() => snsStringToSign({ ...envelope, SignatureVersion: '3' })).toThrow(
      new PayloadError('sns: SignatureVersion must be "1" or "2", got "3"', 'sns'),
    );
    const { Token: _token, ...withoutToken } = envelope;
    expect(() => snsStringToSign(withoutToken)).toThrow(new PayloadError('sns: Token is missing', 'sns'));
  });
});

describe('sns specifics', () => {
  const alarm = {
    AlarmName: 'checkout-5xx',
    AlarmDescription: 'severity: critical. 5xx on the checkout ALB',
    AWSAccountId: '111122223333',
    NewStateValue: 'ALARM',
    StateChangeTime: '2026-11-26T03:00:00.000+0000',
    Region: 'US East (N. Virginia)',
    Trigger: {
      MetricName: 'HTTPCode_Target_5XX_Count',
      Namespace: 'AWS/ApplicationELB',
      Dimensions: [{ name: 'LoadBalancer', value: 'app/checkout/123' }],
    },
  };

  it('raw message delivery (no envelope) is an SNS alarm too; severity from the description', () => {
    expect(detectSource(alarm)).toBe('sns');
    const [signal] = normaliseNotification(alarm).signals;
    expect(signal?.labels).toEqual({
      alertname: 'checkout-5xx',
      region: 'us-east-1',
      account: '111122223333',
      namespace: 'AWS/ApplicationELB',
      metric: 'HTTPCode_Target_5XX_Count',
      LoadBalancer: 'app/checkout/123',
      severity: 'critical',
    });
    expect(signal?.startsAt).toBe('2026-11-26T03:00:00.000Z');
  });

  it('ALARM and OK of the same alarm share a fingerprint', () => {
    const firing = normaliseNotification(alarm).signals[0];
    const resolved = normaliseNotification({ ...alarm, NewStateValue: 'OK' }).signals[0];
    expect(resolved?.status).toBe('resolved');
    expect(resolved?.fingerprint).toBe(firing?.fingerprint);
  });

  it('a plain-text message is valid SNS but not actionable', () => {
    const n = normaliseNotification({
      Type: 'Notification',
      MessageId: 'm',
      TopicArn: 'arn:aws:sns:us-east-1:1:ops',
      Message: 'hello',
    });
    expect(n.signals).toEqual([]);
    expect(n.ignored).toEqual([
      {
        reason:
          'sns: the message on arn:aws:sns:us-east-1:1:ops is not JSON, so it is not a CloudWatch alarm; nothing to do',
      },
    ]);
  });
});

describe('pagerduty specifics', () => {
  it('other event types are ignored with a reason; priority becomes a label', () => {
    const body = loadFixture('other-alerts/pagerduty-v3-incident-triggered.json') as {
      event: { data: Record<string, unknown> } & Record<string, unknown>;
    };
    const ack = { event: { ...body.event, event_type: 'incident.acknowledged' } };
    expect(normaliseNotification(ack)).toEqual({
      source: 'pagerduty',
      signals: [],
      ignored: [
        { reason: 'pagerduty: event "incident.acknowledged" is not a trigger or resolve; nothing to do' },
      ],
    });
    const low = {
      event: { ...body.event, data: { ...body.event.data, urgency: 'low', priority: { summary: 'P2' } } },
    };
    expect(normaliseNotification(low).signals[0]?.labels).toMatchObject({
      severity: 'warning',
      priority: 'P2',
      urgency: 'low',
    });
  });
});

describe('generic form', () => {
  it('the example in docs/alert-sources.md normalises as the doc says', () => {
    const doc = readFileSync(new URL('../../../docs/alert-sources.md', import.meta.url), 'utf8');
    const example = /## Generic JSON[\s\S]*?```json\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(example).toBeDefined();
    const n = normaliseNotification(JSON.parse(example ?? ''));
    expect(n.source).toBe('generic');
    expect(n.signals).toEqual([
      {
        source: 'generic',
        status: 'firing',
        labels: { alertname: 'CheckoutDown', service: 'checkout', region: 'us-east-1', severity: 'critical' },
        annotations: { summary: 'checkout returns 503 from 3 probes' },
        startsAt: '2026-11-26T03:10:00.000Z',
        fingerprint: 'checkout-us-east-1',
        url: 'https://status.example.com/checkout',
      },
    ]);
  });

  it('a single alert, label scalars stringified, fingerprint from labels', () => {
    const body = {
      status: 'firing',
      labels: { service: 'checkout', region: 'us-east-1', shard: 3, canary: false },
      startsAt: '2026-11-26T04:00:00+01:00',
      url: 'https://status.example.com',
    };
    expect(detectSource(body)).toBe('generic');
    const [signal] = normaliseNotification(body).signals;
    expect(signal).toEqual({
      source: 'generic',
      status: 'firing',
      labels: { service: 'checkout', region: 'us-east-1', shard: '3', canary: 'false' },
      annotations: {},
      startsAt: '2026-11-26T03:00:00.000Z',
      fingerprint: labelsFingerprint({
        service: 'checkout',
        region: 'us-east-1',
        shard: '3',
        canary: 'false',
      }),
      url: 'https://status.example.com',
    });
  });

  it('a list of alerts; startsAt defaults to the receive time the caller passes', () => {
    const body = {
      alerts: [
        {
          status: 'resolved',
          labels: { service: 'api' },
          fingerprint: 'api-down',
          endsAt: '2026-11-26T04:05:00Z',
        },
      ],
    };
    expect(detectSource(body)).toBe('generic');
    const n = normaliseNotification(body, undefined, { receivedAt: '2026-11-26T04:06:00Z' });
    expect(n.signals[0]).toMatchObject({
      status: 'resolved',
      fingerprint: 'api-down',
      startsAt: '2026-11-26T04:06:00.000Z',
      endsAt: '2026-11-26T04:05:00.000Z',
    });
  });
});

describe('detection', () => {
  it('an Alertmanager body without Grafana fields is alertmanager; with them, grafana; ?source= wins', () => {
    const am = loadFixture('alertmanager/firing-single-fire-critical.json');
    expect(detectSource(am)).toBe('alertmanager');
    expect(detectSource({ ...(am as object), orgId: 1 })).toBe('grafana');
    expect(normaliseNotification(am, 'grafana').source).toBe('grafana');
  });

  it('an empty alert list and truncated alerts are reported in ignored', () => {
    const n = normaliseNotification({ version: '4', status: 'firing', alerts: [], truncatedAlerts: 3 });
    expect(n.signals).toEqual([]);
    expect(n.ignored.map((i) => i.reason)).toEqual([
      'alertmanager: the notification has no alerts',
      'alertmanager: 3 more alert(s) were cut from this notification by the sender (max_alerts)',
    ]);
  });
});
