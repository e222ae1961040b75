// The bot's metrics follow the Prometheus naming conventions, so stock dashboards and alerts work.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createBotMetrics } from '../../../bot/metrics.js';

const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

describe('bot metrics', () => {
  it('exposes the process metrics under their standard names, and build_info with the package version', async () => {
    const text = await createBotMetrics({ defaultMetrics: true }).registry.metrics();
    expect(text).toMatch(/^process_cpu_seconds_total \d/m);
    expect(text).toMatch(/^process_start_time_seconds \d/m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes \d/m);
    expect(text).not.toMatch(/failover_bot_/);
    expect(text).toContain(
      `failover_build_info{version="${version}",nodejs_version="${process.versions.node}"} 1`,
    );
  });

  it('names counters *_total, durations *_seconds, and the HTTP status `code`', async () => {
    const m = createBotMetrics();
    m.alertReceived('alertmanager', 202);
    m.githubCall.observe({ route: 'graphql', code: '200' }, 0.2);
    const metrics = await m.registry.getMetricsAsJSON();
    for (const metric of metrics) {
      expect(metric.name).toMatch(/^failover_[a-z_]+$/);
      if (String(metric.type) === 'counter') expect(metric.name).toMatch(/_total$/);
      if (String(metric.type) === 'histogram') expect(metric.name).toMatch(/_seconds$/);
      const labels = metric.values.flatMap((v) => Object.keys(v.labels));
      expect(labels).not.toContain('status');
    }
    const text = await m.registry.metrics();
    expect(text).toContain('failover_alerts_received_total{source="alertmanager",code="202"} 1');
  });

  it('counts merge outcomes by outcome, refusals included', async () => {
    const m = createBotMetrics();
    m.prMerged('merged');
    m.prMerged('auto-merge');
    m.prMerged('merged');
    m.prMerged('refused');
    const text = await m.registry.metrics();
    expect(text).toContain('failover_merge_outcomes_total{outcome="merged"} 2');
    expect(text).toContain('failover_merge_outcomes_total{outcome="auto-merge"} 1');
    expect(text).toContain('failover_merge_outcomes_total{outcome="refused"} 1');
  });

  it('observes verification duration by outcome, and the recovery time of verified failovers only', async () => {
    const m = createBotMetrics();
    m.verifyResult?.({ verified: true, verificationSeconds: 42, rtoSeconds: 190, kind: 'auto' });
    m.verifyResult?.({ verified: false, verificationSeconds: 300, rtoSeconds: 999, kind: 'auto' });
    const text = await m.registry.metrics();
    expect(text).toContain('failover_verification_duration_seconds_count{outcome="verified"} 1');
    expect(text).toContain('failover_verification_duration_seconds_sum{outcome="verified"} 42');
    expect(text).toContain('failover_verification_duration_seconds_count{outcome="failed"} 1');
    expect(text).toContain('failover_recovery_time_seconds_bucket{le="300",kind="auto"} 1');
    expect(text).toContain('failover_recovery_time_seconds_sum{kind="auto"} 190');
    expect(text).toContain('failover_recovery_time_seconds_count{kind="auto"} 1');
  });
});
