// runChecks end to end against real local servers: checks of a service run concurrently, an abort
// stops everything, and the rendered report shows every check without secrets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CheckConfig, checkSchema } from '../../src/core/config/schema.js';
import { renderVerifyReport, runChecks } from '../../src/verify/index.js';
import { type RunningDnsServer, startDnsServer } from '../helpers/dns-server.js';
import { type Reply, type RunningHttpTarget, startHttpTarget } from '../helpers/probe-targets.js';
import { prom, type RunningPrometheusApi, startPrometheusApi } from '../helpers/prometheus-api.js';

const BARRIER = 6;
let http: RunningHttpTarget;
let dns: RunningDnsServer;
let api: RunningPrometheusApi;
const waiting: ((r: Reply) => void)[] = [];
let onHang: () => void = () => {};

beforeAll(async () => {
  http = await startHttpTarget({
    // Answers nobody until BARRIER requests are waiting: only concurrent checks can all pass.
    '/barrier': () =>
      new Promise<Reply>((resolve) => {
        waiting.push(resolve);
        if (waiting.length === BARRIER) for (const release of waiting.splice(0)) release({ status: 200 });
      }),
    '/hang': () => {
      onHang();
      return { status: 200, delayMs: 120_000 };
    },
    '/healthz': { status: 200 },
  });
  dns = await startDnsServer({ 'checkout.example.test': { CNAME: 'us-west-2.lb.example.test' } });
  api = await startPrometheusApi({ 'max(lag{region="us-west-2"})': prom.scalar(0.2) });
});
afterAll(async () => {
  await Promise.all([http.close(), dns.close(), api.close()]);
});

const httpCheck = (name: string, path: string, extra: Record<string, unknown> = {}): CheckConfig =>
  checkSchema.parse({
    name,
    failure_limit: 0,
    timeout: '20s',
    http: { url: `${http.url}${path}` },
    ...extra,
  });

describe('runChecks', () => {
  it('runs all checks of a service concurrently', async () => {
    const checks = Array.from({ length: BARRIER }, (_, i) => httpCheck(`barrier-${i}`, '/barrier'));
    const report = await runChecks(checks, { target: 'us-west-2', timeoutMs: 25_000 });
    expect(report.checks.map((c) => c.verdict)).toEqual(Array(BARRIER).fill('pass'));
    expect(report.ok).toBe(true);
  });

  it('runs different probe kinds side by side and renders one table', async () => {
    const report = await runChecks(
      [
        httpCheck('health', '/healthz', { successes: 2, interval: '5ms' }),
        checkSchema.parse({
          name: 'dns',
          dns: {
            resolver: dns.address,
            name: 'checkout.example.test',
            type: 'CNAME',
            expect: '{target}.lb.example.test',
          },
        }),
        checkSchema.parse({
          name: 'lag',
          prometheus: { url: api.url, query: 'max(lag{region="{target}"})', expect: '< 5' },
        }),
        checkSchema.parse({
          name: 'lag-missing',
          interval: '250ms',
          prometheus: { url: api.url, query: 'max(lag{region="eu-west-1"})', expect: '< 5' },
        }),
      ],
      { target: 'us-west-2', timeoutMs: 2_000 },
    );
    expect(report.checks.map((c) => [c.name, c.kind, c.verdict])).toEqual([
      ['health', 'http', 'pass'],
      ['dns', 'dns', 'pass'],
      ['lag', 'prometheus', 'pass'],
      ['lag-missing', 'prometheus', 'inconclusive'],
    ]);
    expect(report.ok).toBe(false);
    const md = renderVerifyReport(report);
    expect(md).toContain('| health | http | ✅ pass | 2 (2 ok) | HTTP 200 |');
    expect(md).toContain('| dns | dns | ✅ pass | 1 (1 ok) | us-west-2.lb.example.test |');
    expect(md).toMatch(
      /\| lag-missing \| prometheus \| ❔ inconclusive \| \d+ \(\d+ inconclusive\) \| empty result \|/,
    );
    expect(md).toContain('- `lag-missing` (inconclusive): no conclusive result within');
  });

  it('stops every check promptly when aborted, and still returns a report', async () => {
    const controller = new AbortController();
    let hung = 0;
    onHang = () => {
      hung++;
      if (hung === 2) controller.abort();
    };
    const report = await runChecks(
      [httpCheck('a', '/hang', { timeout: '2m' }), httpCheck('b', '/hang', { timeout: '2m' })],
      {
        target: 'us-west-2',
        timeoutMs: 600_000,
        signal: controller.signal,
      },
    );
    expect(report.ok).toBe(false);
    expect(report.checks.map((c) => c.name)).toEqual(['a', 'b']);
    for (const c of report.checks) {
      expect(c.verdict).toBe('inconclusive');
      expect(c.attempts).toHaveLength(1);
      expect(c.attempts[0]).toMatchObject({ ok: null, error: 'stopped: verification was aborted' });
    }
  });
});
