// The prometheus probe against a local server speaking the /api/v1/query JSON format
// (test/helpers/prometheus-api.ts): vector, scalar, empty, NaN and error results.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CheckConfig, checkSchema } from '../../src/core/config/schema.js';
import { runChecks } from '../../src/verify/index.js';
import { prom, type RunningPrometheusApi, startPrometheusApi } from '../helpers/prometheus-api.js';

let api: RunningPrometheusApi;
const LAG = 'max(pg_replication_lag_seconds{region="{target}"})';
const check = (query: string, expect: string, extra: Record<string, unknown> = {}): CheckConfig =>
  checkSchema.parse({
    name: 'q',
    interval: '5ms',
    failure_limit: 0,
    prometheus: { url: api.url, query, expect },
    ...extra,
  });
const run = (checks: CheckConfig[], timeoutMs = 5_000) =>
  runChecks(checks, { target: 'us-west-2', timeoutMs });

beforeAll(async () => {
  api = await startPrometheusApi({
    'max(pg_replication_lag_seconds{region="us-west-2"})': prom.vector(prom.series({}, 1.5)),
    pg_replication_lag_seconds: prom.vector(
      prom.series({ region: 'us-west-2', instance: 'a' }, 0.5),
      prom.series({ region: 'us-west-2', instance: 'b' }, 7),
    ),
    'scalar(up)': prom.scalar(1),
    'count(up == 0)': prom.scalar(0),
    missing_metric: prom.empty(),
    nan_metric: prom.nan({ job: 'db' }),
    'rate(broken[': prom.error('1:13: parse error: unexpected end of input', 'bad_data', 400),
    timeouts: prom.error('query timed out in expression evaluation', 'timeout', 503),
    'up[5m]': prom.matrix({ job: 'db' }, 1, 1),
    inf: prom.scalar('+Inf'),
  });
});
afterAll(() => api.close());

describe('prometheus probe', () => {
  it('passes when the only series satisfies the condition, with {target} in the query', async () => {
    const report = await run([check(LAG, '< 5')]);
    expect(report.checks[0]).toMatchObject({ kind: 'prometheus', verdict: 'pass' });
    expect(report.checks[0]?.attempts[0]?.observed).toBe('1.5');
    expect(api.queries).toContain('max(pg_replication_lag_seconds{region="us-west-2"})');
  });

  it('fails when the value does not satisfy the condition', async () => {
    const report = await run([check(LAG, '< 1')]);
    expect(report.checks[0]?.verdict).toBe('fail');
    expect(report.checks[0]?.attempts[0]?.error).toBe('1.5 does not satisfy < 1');
  });

  it('requires every series to satisfy the condition', async () => {
    const report = await run([check('pg_replication_lag_seconds', '< 5')]);
    const attempt = report.checks[0]?.attempts[0];
    expect(attempt?.ok).toBe(false);
    expect(attempt?.error).toBe('1 of 2 series: {region="us-west-2", instance="b"} 7 does not satisfy < 5');
    expect(attempt?.observed).toContain('instance="a"');
  });

  it('supports scalar results and every operator', async () => {
    const report = await run([
      check('scalar(up)', '>= 1'),
      check('scalar(up)', '== 1'),
      check('count(up == 0)', '== 0'),
      check('count(up == 0)', '!= 0'),
      check('scalar(up)', '> 1'),
      check('scalar(up)', '<= 0.5'),
      check('inf', '> 1000'),
    ]);
    expect(report.checks.map((c) => c.verdict)).toEqual([
      'pass',
      'pass',
      'pass',
      'fail',
      'fail',
      'fail',
      'pass',
    ]);
  });

  it('treats an empty result as inconclusive, never a pass, and never as a counted failure', async () => {
    const report = await run([check('missing_metric', '< 5', { interval: '50ms' })], 2_000);
    const c = report.checks[0];
    expect(c?.ok).toBe(false);
    expect(c?.verdict).toBe('inconclusive');
    // The attempt the deadline cuts short proves nothing and is not counted (runner.ts); on a loaded
    // machine there is one, so only the attempts that ran to their end are judged here.
    const finished = (c?.attempts ?? []).filter(
      (a) => !a.error?.startsWith('no answer before the overall timeout'),
    );
    expect(finished.length).toBeGreaterThan(1); // failure_limit 0 did not stop it
    expect(finished.every((a) => a.ok === null && a.observed === 'empty result')).toBe(true);
    expect(c?.message).toMatch(/^no conclusive result within/);
  });

  it('treats NaN as inconclusive', async () => {
    const report = await run([check('nan_metric', '!= 0')], 200);
    expect(report.checks[0]?.verdict).toBe('inconclusive');
    expect(report.checks[0]?.attempts[0]?.error).toMatch(/NaN/);
  });

  it('reports an API error as a failure with its message', async () => {
    const report = await run([check('rate(broken[', '< 5'), check('timeouts', '< 5')]);
    expect(report.checks.map((c) => c.verdict)).toEqual(['fail', 'fail']);
    expect(report.checks[0]?.attempts[0]).toMatchObject({
      ok: false,
      observed: 'HTTP 400 bad_data',
      error: 'Prometheus bad_data: 1:13: parse error: unexpected end of input',
    });
    expect(report.checks[1]?.attempts[0]?.error).toBe(
      'Prometheus timeout: query timed out in expression evaluation',
    );
  });

  it('refuses a range-vector result', async () => {
    const report = await run([check('up[5m]', '> 0')]);
    expect(report.checks[0]?.attempts[0]?.error).toMatch(/range vector/);
  });

  it('waits through inconclusive and failing answers until enough successes in a row', async () => {
    api.set('lag_recovering', [
      prom.empty(),
      prom.scalar(9),
      prom.scalar(3),
      prom.nan(),
      prom.scalar(2),
      prom.scalar(1),
    ]);
    const report = await run([check('lag_recovering', '< 5', { failure_limit: 3, successes: 2 })]);
    const c = report.checks[0];
    expect(c?.verdict).toBe('pass');
    expect(c?.attempts.map((a) => a.ok)).toEqual([null, false, true, null, true, true]);
  });

  it('sends credentials from the URL as Basic auth and keeps them out of the report', async () => {
    const url = api.url.replace('http://', 'http://reader:prom-s3cret@');
    const report = await run([
      checkSchema.parse({
        name: 'auth',
        prometheus: { url: `${url}/`, query: 'scalar(up)', expect: '== 1' },
      }),
    ]);
    expect(report.checks[0]?.verdict).toBe('pass');
    expect(api.authorizations.at(-1)).toBe(`Basic ${Buffer.from('reader:prom-s3cret').toString('base64')}`);
    expect(JSON.stringify(report)).not.toContain('prom-s3cret');
  });
});
