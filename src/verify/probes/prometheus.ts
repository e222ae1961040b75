// Prometheus probe: one instant query (`GET /api/v1/query`) and a condition every returned series must
// satisfy. Following Argo Rollouts, a result that cannot prove anything is INCONCLUSIVE, never a pass:
// an empty vector (the metric or the label does not exist, e.g. a typo in the region) or NaN.
import type { CheckConfig } from '../../core/config/schema.js';
import { type Condition, parseCondition, satisfies } from '../condition.js';
import { redactUrl, scrub } from '../redact.js';
import type { Probe, ProbeOutcome } from '../types.js';
import { describeNetworkError } from './errors.js';
import { parseHttpUrl } from './http.js';

export type PrometheusProbeConfig = NonNullable<CheckConfig['prometheus']>;

interface Sample {
  labels: string;
  value: number;
}

export function createPrometheusProbe(cfg: PrometheusProbeConfig): Probe {
  const { url: base, authorization, secrets } = parseHttpUrl(cfg.url);
  const condition = parseCondition(cfg.expect);
  const queryUrl = new URL(base);
  queryUrl.pathname = `${base.pathname.replace(/\/+$/, '')}/api/v1/query`;
  queryUrl.searchParams.set('query', cfg.query);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (authorization) headers.authorization = authorization;
  const clean = (text: string) => scrub(text, secrets);

  return {
    kind: 'prometheus',
    describe: `${cfg.query} ${condition.text} @ ${redactUrl(cfg.url)}`,
    async attempt(signal: AbortSignal): Promise<ProbeOutcome> {
      let res: Response;
      let text: string;
      try {
        res = await fetch(queryUrl, { headers, redirect: 'manual', signal });
        text = await res.text();
      } catch (err: unknown) {
        return { ok: false, observed: 'no response', error: clean(describeNetworkError(err)) };
      }
      let body: ApiBody;
      try {
        body = JSON.parse(text) as ApiBody;
      } catch {
        return {
          ok: false,
          observed: `HTTP ${res.status}`,
          error: 'not a Prometheus API response (not JSON)',
        };
      }
      if (body?.status === 'error') {
        const kind = typeof body.errorType === 'string' ? body.errorType : 'error';
        return {
          ok: false,
          observed: `HTTP ${res.status} ${kind}`,
          error: clean(`Prometheus ${kind}: ${body.error}`),
        };
      }
      if (!res.ok || body?.status !== 'success') {
        return {
          ok: false,
          observed: `HTTP ${res.status}`,
          error: 'not a successful Prometheus API response',
        };
      }
      return evaluate(body.data, condition);
    },
  };
}

interface ApiBody {
  status?: unknown;
  errorType?: unknown;
  error?: unknown;
  data?: { resultType?: unknown; result?: unknown };
}

/** Applies the condition to an instant-query result (vector or scalar). Exported for unit tests. */
export function evaluate(data: ApiBody['data'], condition: Condition): ProbeOutcome {
  const samples = readSamples(data);
  if (typeof samples === 'string') return { ok: false, observed: String(data?.resultType), error: samples };
  if (samples.length === 0) {
    return {
      ok: null,
      observed: 'empty result',
      error: 'the query returned no series; an empty result is inconclusive, never a pass',
    };
  }
  const failing = samples.filter((s) => !Number.isNaN(s.value) && !satisfies(s.value, condition));
  const nan = samples.filter((s) => Number.isNaN(s.value));
  const observed = listSamples(samples);
  if (failing.length > 0) {
    const count = samples.length === 1 ? '' : `${failing.length} of ${samples.length} series: `;
    return {
      ok: false,
      observed,
      error: `${count}${listSamples(failing)} does not satisfy ${condition.text}`,
    };
  }
  if (nan.length > 0) {
    return { ok: null, observed, error: `${listSamples(nan)} is NaN; a NaN result is inconclusive` };
  }
  return { ok: true, observed };
}

function readSamples(data: ApiBody['data']): Sample[] | string {
  const type = data?.resultType;
  const result = data?.result;
  if (type === 'scalar' && Array.isArray(result)) return [{ labels: '', value: parseValue(result[1]) }];
  if (type === 'vector' && Array.isArray(result)) {
    return result.map((series: { metric?: Record<string, string>; value?: unknown[] }) => ({
      labels: formatLabels(series.metric ?? {}),
      value: parseValue(series.value?.[1]),
    }));
  }
  if (type === 'matrix')
    return 'the query returned a range vector; use an instant query such as max_over_time(x[5m])';
  return `unsupported result type ${JSON.stringify(type)}; expected a vector or a scalar`;
}

/** Prometheus encodes sample values as strings, including `NaN`, `+Inf` and `-Inf`. */
function parseValue(raw: unknown): number {
  if (raw === '+Inf' || raw === 'Inf') return Number.POSITIVE_INFINITY;
  if (raw === '-Inf') return Number.NEGATIVE_INFINITY;
  if (typeof raw !== 'string' && typeof raw !== 'number') return Number.NaN;
  return Number(raw);
}

function formatLabels(metric: Record<string, string>): string {
  const entries = Object.entries(metric);
  return entries.length === 0 ? '' : `{${entries.map(([k, v]) => `${k}="${v}"`).join(', ')}}`;
}

function listSamples(samples: Sample[], max = 3): string {
  const shown = samples.slice(0, max).map((s) => (s.labels ? `${s.labels} ${s.value}` : String(s.value)));
  const more = samples.length > max ? `, … (${samples.length} series)` : '';
  return `${shown.join(', ')}${more}`;
}
