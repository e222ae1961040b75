// What the alert source APIs answer, read into FiringAlerts. Pure: the HTTP lives in alert-source.ts.
// Alertmanager's API v2 (and Grafana's Alertmanager-compatible copy of it) lists alerts with a
// `status.state`: active, suppressed (silenced or inhibited) or unprocessed (not yet through the
// inhibitor; counted as active). Prometheus answers an instant vector of ALERTS series.
import { z } from 'zod';
import { labelsFingerprint } from '../core/alerts/index.js';
import { normaliseSeverityLabel } from '../core/alerts/severity.js';
import type { AlertSource } from '../core/types.js';
import type { FiringAlert } from '../core/world.js';

const amAlert = z.object({
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()).default({}),
  startsAt: z.string(),
  endsAt: z.string().optional(),
  fingerprint: z.string().min(1),
  generatorURL: z.string().optional(),
  status: z.object({ state: z.enum(['active', 'suppressed', 'unprocessed']) }),
});
const amAnswer = z.array(amAlert);

/** Alertmanager API v2 `GET /api/v2/alerts` → FiringAlerts; throws a short reason on a foreign shape. */
export function readAlertmanagerAlerts(json: unknown, source: AlertSource): FiringAlert[] {
  const parsed = amAnswer.safeParse(json);
  if (!parsed.success) throw new Error(`not an Alertmanager API v2 alert list (${firstIssue(parsed.error)})`);
  return parsed.data.map((a) => {
    const labels = { ...a.labels };
    const annotations = { ...a.annotations };
    normaliseSeverityLabel(labels, annotations);
    const alert: FiringAlert = {
      source,
      status: 'firing',
      state: a.status.state === 'suppressed' ? 'suppressed' : 'active',
      labels,
      annotations,
      startsAt: a.startsAt,
      fingerprint: a.fingerprint,
    };
    if (a.endsAt !== undefined && !a.endsAt.startsWith('0001-')) alert.endsAt = a.endsAt;
    if (a.generatorURL) alert.url = a.generatorURL;
    return alert;
  });
}

const promVector = z.object({
  status: z.literal('success'),
  data: z.object({
    resultType: z.literal('vector'),
    result: z.array(
      z.object({ metric: z.record(z.string(), z.string()), value: z.tuple([z.number(), z.string()]) }),
    ),
  }),
});

/** The series' labels without the ones Prometheus adds to ALERTS (they are not the alert's own). */
function alertLabels(metric: Record<string, string>): Record<string, string> {
  const { __name__: _name, alertstate: _state, ...labels } = metric;
  return labels;
}

/**
 * `ALERTS{alertstate="firing"}` plus `ALERTS_FOR_STATE` (its value is when each alert became active) →
 * FiringAlerts. An alert without a for-state series (a rule without `for:`) starts at `queriedAt`,
 * which makes it look new: a stabilize rule then waits rather than trusting an unknown age.
 */
export function readPrometheusAlerts(firing: unknown, forState: unknown, queriedAt: string): FiringAlert[] {
  const alerts = promVector.safeParse(firing);
  if (!alerts.success) throw new Error(`not a Prometheus instant vector (${firstIssue(alerts.error)})`);
  const since = new Map<string, string>();
  const states = promVector.safeParse(forState);
  if (states.success) {
    for (const s of states.data.data.result) {
      const at = Number(s.value[1]);
      if (Number.isFinite(at) && at > 0)
        since.set(labelsFingerprint(alertLabels(s.metric)), new Date(at * 1000).toISOString());
    }
  }
  return alerts.data.data.result.map((series) => {
    const labels = alertLabels(series.metric);
    const fingerprint = labelsFingerprint(labels);
    const annotations: Record<string, string> = {};
    normaliseSeverityLabel(labels, annotations);
    return {
      source: 'generic',
      status: 'firing',
      state: 'active',
      labels,
      annotations,
      startsAt: since.get(fingerprint) ?? queriedAt,
      fingerprint,
    };
  });
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || 'answer'}: ${issue.message}` : 'unexpected shape';
}
