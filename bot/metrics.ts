// Prometheus metrics for one bot instance. The registry is created per app instance (never prom-client's
// global one) so tests, benchmarks with two "replicas" in one process, and hot reloads do not collide.
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { AlertMetrics } from '../src/service/alerts.js';

export interface BotMetrics extends AlertMetrics {
  registry: Registry;
  alertReceived(source: string, status: number): void;
  processing: Histogram<'source'>;
  githubCall: Histogram<'route' | 'status'>;
}

export function createBotMetrics(opts: { defaultMetrics?: boolean } = {}): BotMetrics {
  const registry = new Registry();
  if (opts.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'failover_bot_' });
  const received = new Counter({
    name: 'failover_alerts_received_total',
    help: 'Alert notifications received, by source and HTTP answer',
    labelNames: ['source', 'status'] as const,
    registers: [registry],
  });
  const decisions = new Counter({
    name: 'failover_decisions_total',
    help: 'Decisions made, by action and the rule that decided (first failing rule, or policy/no_change)',
    labelNames: ['action', 'reason'] as const,
    registers: [registry],
  });
  const opened = new Counter({
    name: 'failover_prs_opened_total',
    help: 'Failover pull requests opened, by kind',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  const merged = new Counter({
    name: 'failover_prs_merged_total',
    help: 'Merge attempts on failover pull requests, by outcome (merged, auto-merge, refused)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const githubCall = new Histogram({
    name: 'failover_github_call_seconds',
    help: 'Latency of GitHub API calls, by route template and status',
    labelNames: ['route', 'status'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const processing = new Histogram({
    name: 'failover_alert_processing_seconds',
    help: 'Time from receiving an alert notification to answering it',
    labelNames: ['source'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  return {
    registry,
    processing,
    githubCall,
    alertReceived: (source, status) => received.inc({ source, status: String(status) }),
    decision: (action, reason) => decisions.inc({ action, reason }),
    prOpened: (kind) => opened.inc({ kind }),
    prMerged: (outcome) => merged.inc({ outcome }),
  };
}
