// Prometheus metrics for one bot instance. The registry is created per app instance (never prom-client's
// global one) so tests, benchmarks with two "replicas" in one process, and hot reloads do not collide.
// Names follow the Prometheus conventions: base units in the name (`_seconds`), `_total` on counters, the
// HTTP status in a `code` label, process metrics under their standard names (`process_*`, `nodejs_*`) so
// stock dashboards work, and `failover_build_info` for the version that runs.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { AlertMetrics, VerifyResultMetric } from '../src/service/alerts.js';
import { VERSION } from '../src/version.js';

export interface BotMetrics extends AlertMetrics {
  registry: Registry;
  alertReceived(source: string, code: number): void;
  processing: Histogram<'source'>;
  githubCall: Histogram<'route' | 'code'>;
  /** A PR marker was refused (not the app's PR, a fork's, unsigned or altered). */
  untrustedMarker?(): void;
}

/** Verification and recovery take seconds to many minutes: buckets from 5 s to 1 h. */
const LONG_BUCKETS = [5, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];

export function createBotMetrics(opts: { defaultMetrics?: boolean } = {}): BotMetrics {
  const registry = new Registry();
  if (opts.defaultMetrics) collectDefaultMetrics({ register: registry });
  new Gauge({
    name: 'failover_build_info',
    help: 'The gitops-failover version and Node.js version this bot runs (always 1)',
    labelNames: ['version', 'nodejs_version'] as const,
    registers: [registry],
  }).set({ version: VERSION, nodejs_version: process.versions.node }, 1);
  const received = new Counter({
    name: 'failover_alerts_received_total',
    help: 'Alert notifications received, by source and HTTP status code of the answer',
    labelNames: ['source', 'code'] as const,
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
  const mergeOutcomes = new Counter({
    name: 'failover_merge_outcomes_total',
    help: 'Outcomes of merging failover pull requests (merged, auto-merge, refused, ...)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const verification = new Histogram({
    name: 'failover_verification_duration_seconds',
    help: 'From apply to the end of verification, by outcome (verified or failed), from the Action',
    labelNames: ['outcome'] as const,
    buckets: LONG_BUCKETS,
    registers: [registry],
  });
  const recovery = new Histogram({
    name: 'failover_recovery_time_seconds',
    help: 'Recovery time (RTO): from the first alert or the command to verified traffic, by PR kind',
    labelNames: ['kind'] as const,
    buckets: LONG_BUCKETS,
    registers: [registry],
  });
  const untrusted = new Counter({
    name: 'failover_untrusted_markers_total',
    help: 'PR markers refused: not opened by the app, from a fork, unsigned or altered (each PR and reason once)',
    registers: [registry],
  });
  const githubCall = new Histogram({
    name: 'failover_github_call_seconds',
    help: 'Latency of GitHub API calls, by route template and HTTP status code (0: no answer)',
    labelNames: ['route', 'code'] as const,
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
    alertReceived: (source, code) => received.inc({ source, code: String(code) }),
    decision: (action, reason) => decisions.inc({ action, reason }),
    prOpened: (kind) => opened.inc({ kind }),
    prMerged: (outcome) => mergeOutcomes.inc({ outcome }),
    verifyResult: (r: VerifyResultMetric) => {
      const outcome = r.verified ? 'verified' : 'failed';
      if (r.verificationSeconds !== undefined) verification.observe({ outcome }, r.verificationSeconds);
      if (r.verified && r.rtoSeconds !== undefined) recovery.observe({ kind: r.kind }, r.rtoSeconds);
    },
    untrustedMarker: () => untrusted.inc(),
  };
}
