// The http probe against a real local HTTP server: statuses, bodies, JSON paths, redirects, slow
// answers, flapping answers, request headers and credential redaction.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CheckConfig, checkSchema } from '../../src/core/config/schema.js';
import { runChecks } from '../../src/verify/index.js';
import { closedPort, type RunningHttpTarget, startHttpTarget } from '../helpers/probe-targets.js';

const check = (c: Record<string, unknown>): CheckConfig => checkSchema.parse({ interval: '5ms', ...c });
const run = (checks: CheckConfig[], timeoutMs = 5_000, target = 'us-west-2') =>
  runChecks(checks, { target, timeoutMs });

let server: RunningHttpTarget;

beforeAll(async () => {
  server = await startHttpTarget({
    '/healthz': { status: 200, body: 'ok' },
    '/down': { status: 503, body: 'unavailable' },
    '/teapot': { status: 418 },
    '/status.json': {
      json: { status: 'ok', region: 'us-west-2', checks: { db: { ok: true } }, items: [{ n: 1 }] },
    },
    '/not-json': { body: '<html>hello</html>' },
    '/moved': { status: 302, headers: { location: 'https://login.example.com/sso?token=s3cr3t-value' } },
    '/slow': { status: 200, delayMs: 3_000 },
    '/flap': [
      { status: 200 },
      { status: 500 },
      { status: 200 },
      { status: 200 },
      { status: 500 },
      { status: 200 },
    ],
    '/steady-flap': [{ status: 500 }, { status: 200 }, { status: 500 }, { status: 200 }, { status: 500 }],
    '/region/us-west-2': { status: 200, body: 'serving us-west-2' },
    '/echo-auth': (req) => ({ status: req.headers.authorization ? 200 : 401 }),
  });
});
afterAll(() => server.close());

describe('http probe', () => {
  it('passes on the expected status and records the attempt', async () => {
    const report = await run([check({ name: 'health', http: { url: `${server.url}/healthz` } })]);
    expect(report.ok).toBe(true);
    const [c] = report.checks;
    expect(c).toMatchObject({ name: 'health', kind: 'http', verdict: 'pass', ok: true });
    expect(c?.attempts).toHaveLength(1);
    expect(c?.attempts[0]).toMatchObject({ ok: true, observed: 'HTTP 200' });
    expect(Date.parse(c?.attempts[0]?.at ?? '')).not.toBeNaN();
  });

  it('accepts any status of a list', async () => {
    const report = await run([
      check({ name: 't', http: { url: `${server.url}/teapot`, status: [200, 418] } }),
    ]);
    expect(report.checks[0]?.verdict).toBe('pass');
  });

  it('fails on another status once the failure limit is used up', async () => {
    const report = await run([
      check({ name: 'down', failure_limit: 2, http: { url: `${server.url}/down` } }),
    ]);
    const c = report.checks[0];
    expect(report.ok).toBe(false);
    expect(c?.verdict).toBe('fail');
    expect(c?.attempts).toHaveLength(3);
    expect(c?.attempts.every((a) => a.ok === false && a.observed === 'HTTP 503')).toBe(true);
    expect(c?.message).toContain('expected status 200, got 503');
  });

  it('keeps trying until the overall timeout when no failure limit is set', async () => {
    const report = await run(
      [check({ name: 'down', interval: '50ms', http: { url: `${server.url}/down` } })],
      1_000,
    );
    const c = report.checks[0];
    expect(c?.verdict).toBe('timeout');
    expect(c?.attempts.length).toBeGreaterThan(1);
    expect(c?.message).toMatch(/did not reach 1 success within/);
  });

  it('matches the body against a regular expression', async () => {
    const good = check({ name: 'b', http: { url: `${server.url}/healthz`, body: '^ok$' } });
    const bad = check({
      name: 'b2',
      failure_limit: 0,
      http: { url: `${server.url}/healthz`, body: 'ready' },
    });
    const report = await run([good, bad]);
    expect(report.checks.map((c) => c.verdict)).toEqual(['pass', 'fail']);
    expect(report.checks[1]?.attempts[0]?.error).toBe('body does not match /ready/');
  });

  it('reads a JSON value by dotted and bracket paths', async () => {
    const url = `${server.url}/status.json`;
    const report = await run([
      check({ name: 'j1', http: { url, json: { path: 'status', equals: 'ok' } } }),
      check({ name: 'j2', http: { url, json: { path: '$.checks.db.ok', equals: true } } }),
      check({ name: 'j3', http: { url, json: { path: 'items[0]["n"]', equals: 1 } } }),
      check({ name: 'j4', http: { url, json: { path: 'region', equals: '{target}' } } }),
      check({ name: 'j5', failure_limit: 0, http: { url, json: { path: 'region', equals: 'eu-west-1' } } }),
      check({ name: 'j6', failure_limit: 0, http: { url, json: { path: 'nope.deeper', equals: 1 } } }),
      check({
        name: 'j7',
        failure_limit: 0,
        http: { url: `${server.url}/not-json`, json: { path: 'a', equals: 1 } },
      }),
    ]);
    expect(report.checks.map((c) => c.verdict)).toEqual([
      'pass',
      'pass',
      'pass',
      'pass',
      'fail',
      'fail',
      'fail',
    ]);
    expect(report.checks[0]?.attempts[0]?.observed).toBe('HTTP 200, status = "ok"');
    expect(report.checks[4]?.attempts[0]?.error).toBe('expected region = "eu-west-1"');
    expect(report.checks[5]?.attempts[0]?.error).toBe('no value at nope.deeper');
    expect(report.checks[6]?.attempts[0]?.error).toBe('body is not JSON');
  });

  it('reports a redirect instead of following it, with secrets in the Location masked', async () => {
    const report = await run([check({ name: 'r', failure_limit: 0, http: { url: `${server.url}/moved` } })]);
    const attempt = report.checks[0]?.attempts[0];
    expect(attempt?.ok).toBe(false);
    expect(attempt?.observed).toBe('HTTP 302 → https://login.example.com/sso?token=***');
    expect(attempt?.error).toMatch(/redirects are not followed/);
    expect(JSON.stringify(report)).not.toContain('s3cr3t-value');
    expect(server.requests.some((r) => r.path === '/sso')).toBe(false);
  });

  it('accepts a redirect when its status is expected', async () => {
    const report = await run([check({ name: 'r', http: { url: `${server.url}/moved`, status: 302 } })]);
    expect(report.checks[0]?.verdict).toBe('pass');
  });

  it('times out a slow attempt with the per-attempt timeout', async () => {
    const report = await run([
      check({ name: 'slow', timeout: '100ms', failure_limit: 1, http: { url: `${server.url}/slow` } }),
    ]);
    const c = report.checks[0];
    expect(c?.verdict).toBe('fail');
    expect(c?.attempts).toHaveLength(2);
    expect(c?.attempts[0]).toMatchObject({ ok: false, error: 'timed out after 100ms' });
  });

  it('ends an attempt at the overall timeout when that comes first', async () => {
    const report = await run([check({ name: 'slow', http: { url: `${server.url}/slow` } })], 150);
    const c = report.checks[0];
    expect(c?.verdict).toBe('timeout');
    expect(c?.attempts).toHaveLength(1);
    expect(c?.attempts[0]?.error).toMatch(/overall timeout/);
  });

  it('needs `successes` in a row: a flapping endpoint resets the streak', async () => {
    const report = await run([check({ name: 'flap', successes: 3, http: { url: `${server.url}/flap` } })]);
    const c = report.checks[0];
    expect(c?.verdict).toBe('pass');
    // 200 500 200 200 500 200 200 200: the third success in a row comes at attempt 8.
    expect(c?.attempts.map((a) => a.ok)).toEqual([true, false, true, true, false, true, true, true]);
    expect(c?.message).toBe('3 successes in a row after 8 attempts');
  });

  it('never passes a check that alternates, however many successes it has in total', async () => {
    const report = await run([
      check({ name: 'alt', successes: 2, failure_limit: 2, http: { url: `${server.url}/steady-flap` } }),
    ]);
    const c = report.checks[0];
    expect(c?.verdict).toBe('fail');
    expect(c?.attempts.map((a) => a.ok)).toEqual([false, true, false, true, false]);
  });

  it('substitutes {target} in the URL and the name', async () => {
    const report = await run([
      check({ name: 'in-{target}', http: { url: `${server.url}/region/{target}` } }),
    ]);
    expect(report.checks[0]).toMatchObject({ name: 'in-us-west-2', verdict: 'pass' });
  });

  it('sends configured headers and credentials from the URL, and never reports them', async () => {
    const withUser = server.url.replace('http://', 'http://ops:pa55word-xyz@');
    const report = await run([
      check({
        name: 'auth',
        http: {
          url: `${withUser}/echo-auth`,
          headers: { 'X-Api-Key': 'key-{target}-123456', 'X-Region': '{target}' },
        },
      }),
    ]);
    expect(report.checks[0]?.verdict).toBe('pass');
    const seen = server.requests.filter((r) => r.path === '/echo-auth').at(-1)?.headers;
    expect(seen?.authorization).toBe(`Basic ${Buffer.from('ops:pa55word-xyz').toString('base64')}`);
    expect(seen?.['x-api-key']).toBe('key-us-west-2-123456');
    expect(seen?.['x-region']).toBe('us-west-2');
    const text = JSON.stringify(report);
    expect(text).not.toContain('pa55word-xyz');
    expect(text).not.toContain('key-us-west-2-123456');
  });

  it('reports a refused connection as a failed attempt', async () => {
    const port = await closedPort();
    const report = await run([
      check({
        name: 'gone',
        failure_limit: 0,
        http: { url: `http://user:hunter2-secret@127.0.0.1:${port}/` },
      }),
    ]);
    const attempt = report.checks[0]?.attempts[0];
    expect(attempt).toMatchObject({ ok: false, observed: 'no response' });
    expect(attempt?.error).toMatch(/ECONNREFUSED/);
    expect(JSON.stringify(report)).not.toContain('hunter2-secret');
  });

  it('refuses to run with an invalid body pattern or URL, without attempts', async () => {
    const report = await run([
      check({ name: 'bad-re', http: { url: `${server.url}/healthz`, body: '(' } }),
      check({ name: 'bad-url', http: { url: 'ftp://example.com/x' } }),
    ]);
    expect(report.checks.map((c) => [c.verdict, c.attempts.length])).toEqual([
      ['fail', 0],
      ['fail', 0],
    ]);
    expect(report.checks[0]?.message).toMatch(/^cannot run: body pattern/);
    expect(report.checks[1]?.message).toMatch(/must be an http:\/\/ or https:\/\/ URL/);
  });
});
