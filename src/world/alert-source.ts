// Reads every alert firing now from the repo's alert source of record (`alert_source` in
// .github/failover.yml): Alertmanager API v2, Grafana's Alertmanager-compatible API, or Prometheus.
// URLs come from the repo; credentials only from the bot's environment, by the names the repo gives.
// Every URL is asked at once and the first good answer wins: for an Alertmanager HA pair any reachable
// member knows every alert (they gossip), and one member down must not slow the decision.
import type { AlertSourceConfig } from '../core/config/schema.js';
import { parseDuration } from '../core/duration.js';
import { describeThrown } from '../core/errors.js';
import type { FiringAlert, WorldRead } from '../core/world.js';
import { redactUrl } from '../verify/index.js';
import { readAlertmanagerAlerts, readPrometheusAlerts } from './alert-answers.js';

export type Env = Record<string, string | undefined>;
export type Fetch = typeof fetch;

export interface AlertSourceOptions {
  env: Env;
  fetch?: Fetch;
  now?: () => number;
}

const PATHS = {
  alertmanager: '/api/v2/alerts',
  grafana: '/api/alertmanager/grafana/api/v2/alerts',
} as const;

export async function readFiringAlerts(
  source: AlertSourceConfig,
  opts: AlertSourceOptions,
): Promise<WorldRead<FiringAlert[]>> {
  const headers = authHeaders(source, opts.env);
  if (typeof headers === 'string') return { status: 'unreadable', why: headers };
  const timeoutMs = parseDuration(source.timeout);
  const attempts = source.urls.map((base) => readOne(source, base, headers, timeoutMs, opts));
  try {
    return { status: 'read', value: await Promise.any(attempts) };
  } catch (thrown: unknown) {
    const reasons =
      thrown instanceof AggregateError ? thrown.errors.map(describeThrown) : [describeThrown(thrown)];
    return { status: 'unreadable', why: `${source.type} alert source: ${reasons.join('; ')}` };
  }
}

/** The Authorization header the config names, or why it cannot be built (an unset variable). */
function authHeaders(source: AlertSourceConfig, env: Env): Record<string, string> | string {
  if (source.token_env !== undefined) {
    const token = env[source.token_env];
    if (!token) return `environment variable ${source.token_env} (alert_source.token_env) is not set`;
    return { authorization: `Bearer ${token}` };
  }
  if (source.username_env !== undefined && source.password_env !== undefined) {
    const user = env[source.username_env];
    const password = env[source.password_env];
    if (!user || password === undefined)
      return `environment variables ${source.username_env}/${source.password_env} (alert_source) are not set`;
    return { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
  }
  return {};
}

async function readOne(
  source: AlertSourceConfig,
  base: string,
  headers: Record<string, string>,
  timeoutMs: number,
  opts: AlertSourceOptions,
): Promise<FiringAlert[]> {
  const root = base.replace(/\/+$/, '');
  if (source.type === 'prometheus') {
    const queriedAt = new Date((opts.now ?? Date.now)()).toISOString();
    const query = (q: string) =>
      getJson(`${root}/api/v1/query?query=${encodeURIComponent(q)}`, headers, timeoutMs, opts);
    const [firing, forState] = await Promise.all([
      query('ALERTS{alertstate="firing"}'),
      query('ALERTS_FOR_STATE').catch(() => undefined),
    ]);
    return readPrometheusAlerts(firing, forState, queriedAt);
  }
  // Silenced and inhibited alerts are asked for too: a target in maintenance is still not a destination.
  const url = `${root}${PATHS[source.type]}?active=true&silenced=true&inhibited=true&unprocessed=true`;
  return readAlertmanagerAlerts(await getJson(url, headers, timeoutMs, opts), source.type);
}

async function getJson(
  url: string,
  headers: Record<string, string>,
  timeoutMs: number,
  opts: AlertSourceOptions,
): Promise<unknown> {
  const shown = redactUrl(url.split('?')[0] ?? url);
  let res: Response;
  try {
    res = await (opts.fetch ?? fetch)(url, {
      headers: { accept: 'application/json', ...headers },
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
  } catch (thrown: unknown) {
    const name = (thrown as { name?: string } | null)?.name;
    if (name === 'TimeoutError' || name === 'AbortError')
      throw new Error(`${shown}: no answer within ${timeoutMs} ms`);
    throw new Error(`${shown}: ${describeCause(thrown)}`);
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new Error(`${shown}: HTTP ${res.status}`);
  }
  try {
    return await res.json();
  } catch {
    throw new Error(`${shown}: the answer is not JSON`);
  }
}

function describeCause(thrown: unknown): string {
  const cause = (thrown as { cause?: { code?: string; message?: string } } | null)?.cause;
  return cause?.code ?? cause?.message ?? describeThrown(thrown);
}
