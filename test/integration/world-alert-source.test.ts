// The alert-source reader against real local HTTP servers: Alertmanager API v2 answers captured from
// Alertmanager 0.25 (silenced and inhibited → suppressed), an HA pair with one member down, Grafana's
// Alertmanager-compatible path, Prometheus ALERTS with ALERTS_FOR_STATE, credentials from the
// environment only, and every way the source can fail (refused, timeout, 500, not JSON, foreign shape).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertSourceSchema } from '../../src/core/config/schema.js';
import type { FiringAlert, WorldRead } from '../../src/core/world.js';
import { readFiringAlerts } from '../../src/world/index.js';
import { closedPort, type RunningHttpTarget, startHttpTarget } from '../helpers/probe-targets.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../fixtures/alertmanager-api/${name}`, import.meta.url), 'utf8'));
const ALL = fixture('alerts-all.json');

const source = (raw: Record<string, unknown>) => alertSourceSchema.parse(raw);
const alertsOf = (read: WorldRead<FiringAlert[]>): FiringAlert[] => {
  if (read.status !== 'read') throw new Error(`expected a read, got ${JSON.stringify(read)}`);
  return read.value;
};

const prometheusVector = (series: { metric: Record<string, string>; value: string }[]) => ({
  status: 'success',
  data: {
    resultType: 'vector',
    result: series.map((s) => ({ metric: s.metric, value: [1764578400, s.value] })),
  },
});

let am: RunningHttpTarget;
let slow: RunningHttpTarget;
let broken: RunningHttpTarget;
let down: string;

beforeAll(async () => {
  am = await startHttpTarget({
    '/api/v2/alerts': (req) =>
      req.headers.authorization === undefined || req.headers.authorization === 'Bearer am-token'
        ? { json: ALL }
        : { status: 401, body: 'unauthorized' },
    '/api/alertmanager/grafana/api/v2/alerts': { json: ALL },
    '/api/v1/query': (req) => {
      const query = new URL(req.url ?? '/', 'http://x').searchParams.get('query');
      if (query === 'ALERTS{alertstate="firing"}') {
        return {
          json: prometheusVector([
            {
              metric: {
                __name__: 'ALERTS',
                alertstate: 'firing',
                alertname: 'RegionDown',
                region: 'us-west-2',
                severity: 'page',
              },
              value: '1',
            },
            {
              metric: { __name__: 'ALERTS', alertstate: 'firing', alertname: 'Fresh', region: 'eu-west-1' },
              value: '1',
            },
          ]),
        };
      }
      if (query === 'ALERTS_FOR_STATE') {
        return {
          json: prometheusVector([
            {
              metric: {
                __name__: 'ALERTS_FOR_STATE',
                alertname: 'RegionDown',
                region: 'us-west-2',
                severity: 'page',
              },
              value: '1764577800',
            },
          ]),
        };
      }
      return { status: 400, body: 'bad query' };
    },
  });
  slow = await startHttpTarget({ '/api/v2/alerts': { json: ALL, delayMs: 5_000 } });
  broken = await startHttpTarget({
    '/api/v2/alerts': { status: 500, body: 'oops' },
    '/api/alertmanager/grafana/api/v2/alerts': { body: '<html>login</html>' },
    '/api/v1/query': { json: { status: 'error', error: 'nope' } },
  });
  down = `http://127.0.0.1:${await closedPort()}`;
});
afterAll(async () => {
  await Promise.all([am.close(), slow.close(), broken.close()]);
});

describe('Alertmanager API v2', () => {
  it('reads every alert, silenced and inhibited ones as suppressed, with their fingerprints and times', async () => {
    const alerts = alertsOf(
      await readFiringAlerts(source({ type: 'alertmanager', urls: [am.url] }), { env: {} }),
    );
    expect(alerts).toHaveLength(4);
    const byState = (state: string) =>
      alerts.filter((a) => a.state === state).map((a) => `${a.labels.alertname}/${a.labels.region}`);
    expect(byState('active').sort()).toEqual(['RegionDown/us-east-1', 'RegionDown/us-east-1']);
    expect(byState('suppressed').sort()).toEqual(['RegionDegraded/us-east-1', 'RegionDown/us-west-2']);
    const first = alerts.find((a) => a.fingerprint === '32d5c53f7b2808a8');
    expect(first).toMatchObject({
      source: 'alertmanager',
      status: 'firing',
      startsAt: '2026-12-01T08:39:15.521Z',
      endsAt: '2026-12-01T08:44:15.521Z',
      labels: { service: 'checkout', severity: 'critical', probe: 'us-west-2' },
    });
    // Silenced and inhibited alerts were asked for: a region in maintenance is still not a destination.
    const asked = am.requests.filter((r) => r.path === '/api/v2/alerts');
    expect(asked.length).toBeGreaterThan(0);
  });

  it('an HA pair answers while one member is down, and is unreadable only when every member is', async () => {
    const pair = source({ type: 'alertmanager', urls: [down, am.url] });
    expect(alertsOf(await readFiringAlerts(pair, { env: {} }))).toHaveLength(4);
    const both = await readFiringAlerts(source({ type: 'alertmanager', urls: [down, `${down}/`] }), {
      env: {},
    });
    expect(both.status).toBe('unreadable');
    expect(both.status === 'unreadable' && both.why).toMatch(
      /^alertmanager alert source: .*ECONNREFUSED.*; .*ECONNREFUSED/,
    );
  });

  it('sends the bearer token named by token_env, and says which variable is missing without sending anything', async () => {
    const withToken = source({ type: 'alertmanager', urls: [am.url], token_env: 'AM_TOKEN' });
    const before = am.requests.length;
    const read = await readFiringAlerts(withToken, { env: { AM_TOKEN: 'am-token' } });
    expect(alertsOf(read)).toHaveLength(4);
    expect(am.requests.at(-1)?.headers.authorization).toBe('Bearer am-token');
    const wrong = await readFiringAlerts(withToken, { env: { AM_TOKEN: 'stale' } });
    expect(wrong).toEqual({ status: 'unreadable', why: expect.stringContaining('HTTP 401') });
    const sent = am.requests.length;
    const unset = await readFiringAlerts(withToken, { env: {} });
    expect(unset).toEqual({
      status: 'unreadable',
      why: 'environment variable AM_TOKEN (alert_source.token_env) is not set',
    });
    expect(am.requests.length).toBe(sent);
    expect(sent).toBe(before + 2);
  });

  it('sends basic auth from username_env/password_env', async () => {
    const basic = source({
      type: 'alertmanager',
      urls: [am.url],
      username_env: 'AM_USER',
      password_env: 'AM_PASS',
    });
    await readFiringAlerts(basic, { env: { AM_USER: 'bot', AM_PASS: 'pw' } });
    expect(am.requests.at(-1)?.headers.authorization).toBe(
      `Basic ${Buffer.from('bot:pw').toString('base64')}`,
    );
  });

  it('is unreadable, with the reason and no credential, on timeout, HTTP 500 and a foreign answer', async () => {
    const timeout = await readFiringAlerts(
      source({ type: 'alertmanager', urls: [slow.url], timeout: '200ms' }),
      {
        env: {},
      },
    );
    expect(timeout).toEqual({ status: 'unreadable', why: expect.stringMatching(/no answer within 200 ms/) });
    const failing = await readFiringAlerts(source({ type: 'alertmanager', urls: [broken.url] }), { env: {} });
    expect(failing).toEqual({ status: 'unreadable', why: expect.stringContaining('HTTP 500') });
    const html = await readFiringAlerts(source({ type: 'grafana', urls: [broken.url] }), { env: {} });
    expect(html).toEqual({ status: 'unreadable', why: expect.stringContaining('not JSON') });
  });
});

describe('Grafana and Prometheus', () => {
  it('Grafana: reads its Alertmanager-compatible API under /api/alertmanager/grafana', async () => {
    const alerts = alertsOf(
      await readFiringAlerts(source({ type: 'grafana', urls: [`${am.url}/`] }), { env: {} }),
    );
    expect(alerts).toHaveLength(4);
    expect(alerts.every((a) => a.source === 'grafana')).toBe(true);
    expect(am.requests.some((r) => r.path === '/api/alertmanager/grafana/api/v2/alerts')).toBe(true);
  });

  it('Prometheus: ALERTS{alertstate="firing"} with activeAt from ALERTS_FOR_STATE, severity normalised', async () => {
    const now = Date.parse('2026-12-01T09:00:00Z');
    const alerts = alertsOf(
      await readFiringAlerts(source({ type: 'prometheus', urls: [am.url] }), { env: {}, now: () => now }),
    );
    expect(alerts).toHaveLength(2);
    const down = alerts.find((a) => a.labels.alertname === 'RegionDown');
    expect(down).toMatchObject({
      state: 'active',
      labels: { region: 'us-west-2', severity: 'critical' },
      startsAt: new Date(1764577800 * 1000).toISOString(),
    });
    expect(down?.labels).not.toHaveProperty('alertstate');
    // No for-state series: it looks new (a stabilize rule waits rather than trusting an unknown age).
    expect(alerts.find((a) => a.labels.alertname === 'Fresh')?.startsAt).toBe('2026-12-01T09:00:00.000Z');
    const failing = await readFiringAlerts(source({ type: 'prometheus', urls: [broken.url] }), { env: {} });
    expect(failing).toEqual({
      status: 'unreadable',
      why: expect.stringContaining('not a Prometheus instant vector'),
    });
  });
});

describe('alert_source config', () => {
  it('refuses credentials in a URL and half a basic-auth pair', () => {
    const bad = alertSourceSchema.safeParse({
      type: 'alertmanager',
      urls: ['https://bot:secret@am.example.com'],
    });
    expect(bad.success).toBe(false);
    expect(JSON.stringify(bad.error?.issues)).toContain('must not carry credentials');
    const half = alertSourceSchema.safeParse({
      type: 'alertmanager',
      urls: ['https://am'],
      username_env: 'U',
    });
    expect(JSON.stringify(half.error?.issues)).toContain('username_env and password_env go together');
    expect(alertSourceSchema.safeParse({ type: 'alertmanager', urls: ['ftp://am'] }).success).toBe(false);
    expect(alertSourceSchema.parse({ type: 'prometheus', urls: ['http://prom:9090'] }).timeout).toBe('3s');
  });
});
