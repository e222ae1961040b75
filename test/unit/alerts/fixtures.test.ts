// Every shared alert fixture normalises to the signals an SRE would expect from it.
import { describe, expect, it } from 'vitest';
import { detectSource, normaliseNotification } from '../../../src/core/alerts/index.js';
import { PayloadError } from '../../../src/core/errors.js';
import type { NormalisedNotification } from '../../../src/core/types.js';
import { alertFixturePaths, loadFixture } from './load-fixture.js';

const normalise = (path: string): NormalisedNotification => normaliseNotification(loadFixture(path));

describe('alertmanager fixtures', () => {
  it('firing-grouped-2-alerts-cpu-temperature: two firing alerts, nanoseconds truncated, zero endsAt dropped', () => {
    const n = normalise('alertmanager/firing-grouped-2-alerts-cpu-temperature.json');
    expect(n.source).toBe('alertmanager');
    expect(n.signals).toHaveLength(2);
    expect(n.signals.map((s) => s.status)).toEqual(['firing', 'firing']);
    expect(n.signals.map((s) => s.fingerprint)).toEqual(['a1bc48475b20e73d', 'c2ea85182f28cbd9']);
    const [first] = n.signals;
    expect(first?.labels).toEqual({
      alertname: 'High CPU Temperature',
      host: 'andromeda',
      severity: 'critical',
    });
    expect(first?.startsAt).toBe('2020-02-06T00:17:58.432Z');
    expect(first?.endsAt).toBeUndefined();
    expect(first?.annotations.description).toBe('CPU core temperature is 34.75C');
    expect(first?.url).toMatch(/^http:\/\/cobalt:9090\/graph\?/);
    expect(n.ignored).toEqual([]);
  });

  it('firing-grouped-3-alerts: three alerts keep their own labels and fingerprints', () => {
    const n = normalise('alertmanager/firing-grouped-3-alerts.json');
    expect(n.signals.map((s) => s.labels.name)).toEqual(['grafana', 'nginx', 'prometheus']);
    expect(n.signals.map((s) => s.fingerprint)).toEqual([
      'ff6a7a0f5f1c1309',
      '554664fa753a2b45',
      '911c76f0240f015b',
    ]);
    expect(
      n.signals.every((s) => s.labels.severity === 'info' && s.labels.namespace === 'whatever/promstack'),
    ).toBe(true);
    expect(n.signals.every((s) => s.startsAt === '2020-10-11T14:34:11.279Z')).toBe(true);
  });

  it('firing-single-fire-critical: +01:00 offset becomes UTC; a future endsAt on a firing alert is kept', () => {
    const n = normalise('alertmanager/firing-single-fire-critical.json');
    expect(n.signals).toHaveLength(1);
    const [s] = n.signals;
    expect(s?.status).toBe('firing');
    expect(s?.labels).toEqual({ alertname: 'Fire', severity: 'critical' });
    expect(s?.startsAt).toBe('2018-11-04T21:43:58.283Z');
    expect(s?.endsAt).toBe('2018-11-04T21:46:58.283Z');
    // No fingerprint in the payload: computed from the sorted labels, stable across firing and resolved.
    expect(s?.fingerprint).toBe('88cbf0084cf27726');
  });

  it('resolved-single-fire-critical: same alert resolved, same computed fingerprint', () => {
    const [s] = normalise('alertmanager/resolved-single-fire-critical.json').signals;
    expect(s?.status).toBe('resolved');
    expect(s?.endsAt).toBe('2018-11-04T21:48:13.283Z');
    expect(s?.fingerprint).toBe('88cbf0084cf27726');
  });

  it('firing-single-high-memory-load: no per-alert status or fingerprint → group status and label hash', () => {
    const n = normalise('alertmanager/firing-single-high-memory-load.json');
    expect(n.signals).toHaveLength(1);
    const [s] = n.signals;
    expect(s?.status).toBe('firing');
    expect(s?.labels.instance).toBe('instance-with-hyphen_and_underscore');
    expect(s?.labels.severity).toBe('warning');
    expect(s?.startsAt).toBe('2018-03-07T11:33:21.873Z'); // -05:00
    expect(s?.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(s?.url).toBeUndefined();
  });

  it('mixed-firing-and-resolved-2-alerts: each alert keeps its own status despite the group status', () => {
    const n = normalise('alertmanager/mixed-firing-and-resolved-2-alerts.json');
    expect(n.signals.map((s) => s.status)).toEqual(['firing', 'resolved']);
    const [firing, resolved] = n.signals;
    expect(firing?.startsAt).toBe('2017-10-21T17:50:17.160Z'); // -02:00
    expect(firing?.endsAt).toBeUndefined();
    expect(resolved?.labels.instance).toBe('a1');
    expect(resolved?.endsAt).toBe('2017-10-21T17:50:28.806Z');
    expect(firing?.url).toBeUndefined(); // generatorURL ""
    expect(firing?.fingerprint).not.toBe(resolved?.fingerprint);
  });
});

describe('grafana fixtures', () => {
  it('firing-2-alerts-docs-example: two firing alerts, values rendered, generatorURL as the link', () => {
    const n = normalise('grafana/firing-2-alerts-docs-example.json');
    expect(n.source).toBe('grafana');
    expect(n.signals.map((s) => [s.status, s.labels.alertname, s.labels.zone, s.fingerprint])).toEqual([
      ['firing', 'High memory usage', 'us-1', 'c6eadffa33fcdf37'],
      ['firing', 'High CPU usage', 'eu-1', 'bc97ff14869b13e3'],
    ]);
    expect(n.signals[0]?.startsAt).toBe('2021-10-12T07:51:03.157Z');
    expect(n.signals[0]?.annotations.values).toBe('B=44.23943737541908, C=1');
    expect(n.signals[0]?.url).toBe('https://play.grafana.org/alerting/1afz29v7z/edit');
    expect(n.signals[0]?.annotations.panel_url).toBeUndefined(); // "" means none
  });

  it('firing-single-values-image-v11: panel/dashboard/image links kept as annotations', () => {
    const [s, ...rest] = normalise('grafana/firing-single-values-image-v11.json').signals;
    expect(rest).toHaveLength(0);
    expect(s?.status).toBe('firing');
    expect(s?.labels).toEqual({ alertname: 'Memory (copy)', debug: 'true', grafana_folder: 'device' });
    expect(s?.startsAt).toBe('2024-03-01T02:09:00.000Z');
    expect(s?.fingerprint).toBe('e6349a25f5ef0e9e');
    expect(s?.annotations.panel_url).toBe(
      'https://play.grafana.org/d/ece9fb32-7f71-4be9-bd94-2f23608ae5b9?orgId=1&viewPanel=2',
    );
    expect(s?.annotations.image_url).toBe('https://grafana.com/assets/img/blog/mixed_styles.png');
    expect(s?.annotations.values).toBe('A=2473545728, B=0, C=1, minute=9');
    expect(s?.annotations.value_string).toContain("var='A'");
  });

  it('mixed-1-firing-2-resolved-v9: two resolved and one firing under a firing group', () => {
    const n = normalise('grafana/mixed-1-firing-2-resolved-v9.json');
    expect(n.signals.map((s) => s.status)).toEqual(['resolved', 'resolved', 'firing']);
    expect(n.signals.map((s) => s.labels.instance)).toEqual([
      'badhost.example.com',
      'otherhost.example.com',
      undefined,
    ]);
    expect(n.signals.map((s) => s.fingerprint)).toEqual([
      'aaafafe0953f0962',
      'fb31814ac93dbe7d',
      '6f9cd313db421ef1',
    ]);
    expect(n.signals[0]?.endsAt).toBe('2022-06-17T01:08:28.652Z');
    expect(n.signals[2]?.endsAt).toBeUndefined();
    expect(n.signals[2]?.startsAt).toBe('2022-06-17T01:03:00.782Z');
  });

  it('resolved-single-valuestring-v9: resolved with valueString only', () => {
    const n = normalise('grafana/resolved-single-valuestring-v9.json');
    expect(n.signals).toHaveLength(1);
    const [s] = n.signals;
    expect(s?.status).toBe('resolved');
    expect(s?.fingerprint).toBe('d8a21484c9c25a60');
    expect(s?.startsAt).toBe('2022-06-17T00:41:00.782Z');
    expect(s?.endsAt).toBe('2022-06-17T00:51:24.067Z');
    expect(s?.annotations.values).toBeUndefined();
    expect(s?.annotations.value_string).toMatch(/^\[ var='B0'/);
  });
});

describe('sns-cloudwatch fixtures', () => {
  it('notification-alarm-s3-bucket-size: ALARM → firing with region code, account, metric and dimensions', () => {
    const n = normalise('sns-cloudwatch/notification-alarm-s3-bucket-size.json');
    expect(n.source).toBe('sns');
    expect(n.signals).toHaveLength(1);
    const [s] = n.signals;
    expect(s?.status).toBe('firing');
    expect(s?.labels).toEqual({
      alertname: 'bucketbytesAlarm',
      region: 'eu-west-1',
      account: '1234567890',
      namespace: 'AWS/S3',
      metric: 'BucketSizeBytes',
      StorageType: 'StandardStorage',
      BucketName: 'try.alerta.io',
    });
    expect(s?.startsAt).toBe('2019-02-15T23:53:45.093Z'); // "+0000" offset
    expect(s?.endsAt).toBeUndefined();
    expect(s?.annotations.summary).toBe('ALARM: "bucketbytesAlarm" in EU (Ireland)');
    expect(s?.annotations.description).toBe('bucket bytes size exceeded');
    expect(s?.annotations.region_name).toBe('EU (Ireland)');
    expect(s?.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(s?.url).toBe(
      'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#alarmsV2:alarm/bucketbytesAlarm',
    );
    expect(s?.labels.severity).toBeUndefined(); // nothing in the description says how bad
  });

  it('notification-insufficient-data-sns-count: ignored with a reason, no signal', () => {
    const n = normalise('sns-cloudwatch/notification-insufficient-data-sns-count.json');
    expect(n.signals).toEqual([]);
    expect(n.ignored).toHaveLength(1);
    expect(n.ignored[0]?.reason).toContain('"notificationCountAlarm" went to INSUFFICIENT_DATA');
  });

  it('notification-non-cloudwatch-aws-health-event: valid SNS, not an alarm → ignored, no error', () => {
    const n = normalise('sns-cloudwatch/notification-non-cloudwatch-aws-health-event.json');
    expect(n.source).toBe('sns');
    expect(n.signals).toEqual([]);
    expect(n.ignored[0]?.reason).toBe(
      'sns: the message on arn:aws:sns:ap-southeast-2:257706363616:phd-info-dev is not a CloudWatch alarm (an EventBridge "AWS Health Event"); nothing to do',
    );
  });

  it('notification-ok-anomaly-band-pod-cpu: OK → resolved; metric and dimension from Trigger.Metrics[]', () => {
    const [s] = normalise('sns-cloudwatch/notification-ok-anomaly-band-pod-cpu.json').signals;
    expect(s?.status).toBe('resolved');
    expect(s?.labels).toEqual({
      alertname: 'ContainerInsight-pod_cpu_utilization',
      region: 'ap-northeast-2',
      account: '257706363616',
      namespace: 'ContainerInsights',
      metric: 'pod_cpu_utilization',
      ClusterName: 'cloudone-dev-v1-eks-cluster',
    });
    expect(s?.startsAt).toBe('2021-06-27T13:53:39.351Z');
    expect(s?.endsAt).toBe('2021-06-27T13:53:39.351Z');
    expect(s?.annotations.alarm_arn).toBe(
      'arn:aws:cloudwatch:ap-northeast-2:257706363616:alarm:ContainerInsight-pod_cpu_utilization',
    );
    expect(s?.annotations.description).toBeUndefined(); // AlarmDescription null
  });

  it('subscription-confirmation: subscription set, no signals', () => {
    const n = normalise('sns-cloudwatch/subscription-confirmation.json');
    expect(n.signals).toEqual([]);
    expect(n.ignored).toEqual([]);
    expect(n.subscription?.type).toBe('SubscriptionConfirmation');
    expect(n.subscription?.topicArn).toBe('arn:aws:sns:eu-west-1:1234567890:alerta-test');
    expect(n.subscription?.subscribeUrl).toMatch(
      /^https:\/\/sns\.eu-west-1\.amazonaws\.com\/\?Action=ConfirmSubscription&/,
    );
  });
});

describe('other-alerts fixtures', () => {
  it('pagerduty-v3-incident-triggered: firing, urgency high → severity critical', () => {
    const n = normalise('other-alerts/pagerduty-v3-incident-triggered.json');
    expect(n.source).toBe('pagerduty');
    expect(n.signals).toHaveLength(1);
    const [s] = n.signals;
    expect(s?.status).toBe('firing');
    expect(s?.labels).toEqual({
      alertname: 'Test Incident 3',
      service: 'pig208',
      urgency: 'high',
      severity: 'critical',
    });
    expect(s?.startsAt).toBe('2021-06-04T13:35:29.781Z');
    expect(s?.fingerprint).toBe('pagerduty-PFQZPSY');
    expect(s?.url).toBe('https://pig208.pagerduty.com/incidents/PFQZPSY');
    expect(s?.annotations.incident_number).toBe('9');
  });

  it('pagerduty-v3-incident-resolved: resolved, endsAt = occurred_at', () => {
    const [s] = normalise('other-alerts/pagerduty-v3-incident-resolved.json').signals;
    expect(s?.status).toBe('resolved');
    expect(s?.labels.alertname).toBe('Test Incident');
    expect(s?.endsAt).toBe('2021-06-04T13:16:53.816Z');
    expect(s?.fingerprint).toBe('pagerduty-PCPZE64');
    expect(s?.labels.priority).toBeUndefined(); // priority null
  });

  it('azure-monitor-common-schema-metric-resolved: detected as azure, resolved, resource labels, Sev3 → info', () => {
    const body = loadFixture('other-alerts/azure-monitor-common-schema-metric-resolved.json');
    expect(detectSource(body)).toBe('azure');
    const n = normaliseNotification(body);
    expect(n.source).toBe('azure');
    expect(n.ignored).toEqual([]);
    expect(n.signals).toHaveLength(1);
    const [s] = n.signals;
    expect(s?.status).toBe('resolved');
    expect(s?.labels).toEqual({
      alertname: 'WCUS-R2-Gen2',
      severity: 'info',
      monitoring_service: 'Platform',
      signal_type: 'Metric',
      alert_id:
        '/subscriptions/<subscription ID>/providers/Microsoft.AlertsManagement/alerts/aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e',
      resource: 'wcus-r2-gen2',
      resource_group: 'pipelinealertrg',
      subscription: '<subscription ID>',
      resource_type: 'microsoft.compute/virtualmachines',
      Key1: 'Value1',
      Key2: 'Value2',
      ResourceId: 'a0a0a0a0-bbbb-cccc-dddd-e1e1e1e1e1e1',
    });
    // 7 fractional digits cut (not rounded) to milliseconds, Z kept.
    expect(s?.startsAt).toBe('2019-03-22T13:58:24.371Z');
    expect(s?.endsAt).toBe('2019-03-22T14:03:16.224Z');
    expect(s?.fingerprint).toMatch(/^azure-[0-9a-f]{16}$/);
    expect(s?.annotations).toMatchObject({
      summary: 'WCUS-R2-Gen2: Resolved',
      source_severity: 'Sev3',
      metric_name: 'Percentage CPU',
      operator: 'GreaterThan',
      threshold: '25',
      metric_value: '7.727',
      condition: 'Percentage CPU Average GreaterThan 25 (value 7.727)',
    });
    expect(s?.annotations.description).toBeUndefined(); // description ""
    expect(s?.url).toBe(
      'https://portal.azure.com/#blade/Microsoft_Azure_Monitoring/AlertDetailsTemplateBlade/alertId/' +
        '%2Fsubscriptions%2F%3Csubscription%20ID%3E%2Fproviders%2FMicrosoft.AlertsManagement%2Falerts%2Faaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e',
    );
  });

  it('a body that is neither Azure nor any other source is still refused by name of what it lacks', () => {
    const body = { schemaId: 'nagiosAlert', data: { host: 'db1' } };
    expect(() => detectSource(body)).toThrow(PayloadError);
    expect(() => detectSource(body)).toThrow(
      /^cannot tell the alert source: the body has keys "schemaId", "data" and no .*Azure Monitor "schemaId"/,
    );
  });
});

describe('every fixture', () => {
  const expected: Record<string, string> = {
    alertmanager: 'alertmanager',
    grafana: 'grafana',
    'sns-cloudwatch': 'sns',
  };
  it.each(alertFixturePaths())('%s is detected as its source and its times are UTC', (path) => {
    const dir = path.split('/')[0] ?? '';
    const n = normalise(path);
    expect(n.source).toBe(expected[dir] ?? (path.includes('azure') ? 'azure' : 'pagerduty'));
    for (const s of n.signals) {
      expect(s.startsAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      if (s.endsAt !== undefined) expect(s.endsAt >= s.startsAt).toBe(true);
      expect(s.fingerprint.length).toBeGreaterThan(0);
    }
  });
});
