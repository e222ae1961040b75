// CloudWatch alarms beyond the shared fixtures: EventBridge state-change events (inside SNS or posted
// directly) and propagated alarm tags.
import { describe, expect, it } from 'vitest';
import { detectSource, normaliseNotification } from '../../../src/core/alerts/index.js';
import { PayloadError } from '../../../src/core/errors.js';
import { loadFixture } from './load-fixture.js';
import { stateChange } from './sample-events.js';

function inSns(message: unknown) {
  const envelope = loadFixture('sns-cloudwatch/notification-alarm-s3-bucket-size.json') as Record<
    string,
    unknown
  >;
  return {
    ...envelope,
    Subject: undefined,
    TopicArn: 'arn:aws:sns:us-east-1:111122223333:failover',
    Message: JSON.stringify(message),
  };
}

describe('EventBridge "CloudWatch Alarm State Change"', () => {
  it('posted directly: detected as sns, ALARM → firing with region, account, metric and dimensions', () => {
    const body = stateChange('ALARM');
    expect(detectSource(body)).toBe('sns');
    const n = normaliseNotification(body);
    expect(n.signals).toHaveLength(1);
    const [s] = n.signals;
    expect(s?.status).toBe('firing');
    expect(s?.labels).toEqual({
      alertname: 'checkout-alb-5xx',
      region: 'us-east-1',
      account: '111122223333',
      namespace: 'AWS/ApplicationELB',
      metric: 'HTTPCode_ELB_5XX_Count',
      LoadBalancer: 'app/checkout/50dc6c495c0c9188',
    });
    expect(s?.startsAt).toBe('2026-11-26T03:04:40.985Z');
    expect(s?.annotations).toMatchObject({ description: 'Checkout ALB answers 5xx', old_state: 'OK' });
  });

  it('inside an SNS notification: same signal, same fingerprint as the classic message of that alarm', () => {
    const viaEvent = normaliseNotification(inSns(stateChange('ALARM'))).signals[0];
    expect(viaEvent?.labels.alertname).toBe('checkout-alb-5xx');
    expect(viaEvent?.annotations.topic_arn).toBe('arn:aws:sns:us-east-1:111122223333:failover');
    const classic = normaliseNotification({
      AlarmName: 'checkout-alb-5xx',
      AlarmArn: 'arn:aws:cloudwatch:us-east-1:111122223333:alarm:checkout-alb-5xx',
      NewStateValue: 'ALARM',
      StateChangeTime: '2026-11-26T03:04:40.985+0000',
    }).signals[0];
    expect(viaEvent?.fingerprint).toBe(classic?.fingerprint);
  });

  it('OK → resolved; INSUFFICIENT_DATA → ignored', () => {
    expect(normaliseNotification(stateChange('OK')).signals[0]?.status).toBe('resolved');
    const n = normaliseNotification(inSns(stateChange('INSUFFICIENT_DATA')));
    expect(n.signals).toEqual([]);
    expect(n.ignored[0]?.reason).toContain('INSUFFICIENT_DATA');
  });

  it('alarm tags become labels; a severity tag sets the severity', () => {
    const body = stateChange('ALARM', {
      alarmTags: { team: 'payments', Severity: 'P1', region: 'not-this' },
    });
    const [s] = normaliseNotification(body).signals;
    expect(s?.labels).toMatchObject({
      team: 'payments',
      Severity: 'P1',
      severity: 'critical',
      region: 'us-east-1',
    });
  });

  it('a broken event says where', () => {
    const body = stateChange('ALARM');
    (body.detail.state as { value: unknown }).value = 'RED';
    expect(() => normaliseNotification(inSns(body))).toThrow(
      new PayloadError(
        'sns: Message.detail.state.value must be ALARM, OK or INSUFFICIENT_DATA, got "RED"',
        'sns',
      ),
    );
    const noDetail = { ...stateChange('ALARM'), detail: [] };
    expect(() => normaliseNotification(noDetail)).toThrow(
      new PayloadError('sns: detail must be an object, got an array', 'sns'),
    );
  });
});

describe('classic SNS alarm message with AlarmTags', () => {
  it('accepts a tag map or a Key/Value list', () => {
    const base = {
      AlarmName: 'db-lag',
      NewStateValue: 'ALARM',
      StateChangeTime: '2026-11-26T03:00:00Z',
      Region: 'US West (Oregon)',
    };
    const asMap = normaliseNotification({ ...base, AlarmTags: { severity: 'warning', service: 'db' } })
      .signals[0];
    const asList = normaliseNotification({
      ...base,
      AlarmTags: [
        { Key: 'severity', Value: 'warning' },
        { Key: 'service', Value: 'db' },
      ],
    }).signals[0];
    for (const s of [asMap, asList])
      expect(s?.labels).toMatchObject({ region: 'us-west-2', severity: 'warning', service: 'db' });
  });
});
