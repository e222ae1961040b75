// Alert endpoint authentication: tokens compared before the body, HMAC over the request line and body,
// Grafana's and PagerDuty's native signatures, and the reserve/commit/release replay guard.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  authenticate,
  failoverStringToSign,
  HMAC_WINDOW_MS,
  NOT_CONFIGURED,
  pagerDutySignatures,
  precheck,
  ReplayGuard,
  tokenMatches,
} from '../../../src/intake/auth.js';

const NOW = Date.parse('2026-11-26T05:00:00Z');
const body = Buffer.from('{"alerts":[]}');
const REQ = { method: 'POST', target: '/failover/v1/alerts/acme/infra', repoKey: 'acme/infra' };
const sign = (secret: string, ts: number, raw: Buffer = body, req = REQ) =>
  `sha256=${createHmac('sha256', secret)
    .update(failoverStringToSign(String(ts), req))
    .update(raw)
    .digest('hex')}`;
const tsNow = Math.floor(NOW / 1000);
const auth = (
  secrets: Parameters<typeof authenticate>[0],
  creds: Parameters<typeof authenticate>[1],
  raw = body,
  guard = new ReplayGuard(),
  req = REQ,
  now = NOW,
) => authenticate(secrets, creds, req, raw, now, guard);

describe('precheck (no body yet)', () => {
  it('refuses everything when nothing is configured (fail closed)', () => {
    expect(auth({ tokens: [] }, { authorization: 'Bearer x' })).toEqual({
      ok: false,
      status: 403,
      message: NOT_CONFIGURED,
    });
    expect(precheck({ tokens: ['', '  '] }, { authorization: 'Bearer x' }, REQ, NOW)).toMatchObject({
      status: 403,
    });
  });

  it('asks for credentials when none are sent', () => {
    expect(precheck({ tokens: ['a'] }, {}, REQ, NOW)).toMatchObject({
      status: 401,
      message: /missing credentials/,
    });
  });

  it('decides bearer and query tokens before the body: a wrong one is refused outright', () => {
    const secrets = { tokens: ['old-token', 'new-token'] };
    expect(precheck(secrets, { authorization: 'Bearer old-token' }, REQ, NOW)).toEqual({
      ok: true,
      method: 'bearer',
    });
    expect(precheck(secrets, { authorization: 'bearer new-token' }, REQ, NOW)).toEqual({
      ok: true,
      method: 'bearer',
    });
    expect(precheck(secrets, { authorization: 'Bearer new-tokenX' }, REQ, NOW)).toMatchObject({
      status: 403,
    });
    expect(precheck(secrets, { authorization: 'Basic abc' }, REQ, NOW)).toMatchObject({ status: 401 });
    expect(precheck(secrets, { queryToken: 'new-token' }, REQ, NOW)).toEqual({
      ok: true,
      method: 'query-token',
    });
    expect(precheck(secrets, { queryToken: 'guess' }, REQ, NOW)).toMatchObject({ status: 403 });
    expect(tokenMatches(secrets, '')).toBe(false);
  });

  it('leaves a well-formed, fresh signature for after the body, and refuses a malformed or stale one at once', () => {
    const secrets = { tokens: [], hmacSecret: 's3cret' };
    expect(
      precheck(secrets, { signature: sign('s3cret', tsNow), timestamp: String(tsNow) }, REQ, NOW),
    ).toBeUndefined();
    expect(precheck(secrets, { signature: 'sha256=abc', timestamp: String(tsNow) }, REQ, NOW)).toMatchObject({
      status: 401,
    });
    expect(
      precheck(secrets, { signature: sign('s3cret', tsNow), timestamp: String(tsNow - 301) }, REQ, NOW),
    ).toMatchObject({
      status: 401,
      message: /stale timestamp/,
    });
  });
});

describe('X-Failover-Signature-256', () => {
  const secrets = { tokens: [], hmacSecret: 's3cret' };
  const at = (ts: number, signature = sign('s3cret', ts)) => ({ signature, timestamp: String(ts) });

  it('covers timestamp, method, path and query as well as the body', () => {
    expect(failoverStringToSign('1700000000', { method: 'post', target: '/a/b?x=1' })).toBe(
      '1700000000\nPOST\n/a/b?x=1\n',
    );
    const guard = new ReplayGuard();
    expect(auth(secrets, at(tsNow), body, guard)).toMatchObject({
      ok: true,
      method: 'hmac',
      replayKey: expect.stringMatching(/^hmac:/),
    });
    // The same capture sent to another repository, another query or as another method does not verify.
    for (const other of [
      { ...REQ, target: '/failover/v1/alerts/acme/other', repoKey: 'acme/other' },
      { ...REQ, target: `${REQ.target}?source=generic` },
      { ...REQ, method: 'PUT' },
    ]) {
      expect(auth(secrets, at(tsNow), body, new ReplayGuard(), other)).toMatchObject({
        status: 403,
        message: 'wrong signature',
      });
    }
  });

  it('refuses a wrong key, a tampered body, and the old timestamp.body scheme', () => {
    expect(auth(secrets, at(tsNow, sign('other', tsNow)))).toMatchObject({
      status: 403,
      message: 'wrong signature',
    });
    expect(auth(secrets, at(tsNow), Buffer.from('{"x":1}'))).toMatchObject({ status: 403 });
    const legacy = `sha256=${createHmac('sha256', 's3cret').update(`${tsNow}.`).update(body).digest('hex')}`;
    expect(auth(secrets, at(tsNow, legacy))).toMatchObject({ status: 403 });
    expect(auth({ tokens: ['t'] }, at(tsNow))).toMatchObject({ status: 403, message: /not enabled/ });
  });

  it('refuses a signature in flight or spent, and accepts it again once released (a retry after a 503)', () => {
    const guard = new ReplayGuard();
    const first = auth(secrets, at(tsNow), body, guard);
    expect(first.ok).toBe(true);
    const key = first.ok ? (first.replayKey ?? '') : '';
    expect(auth(secrets, at(tsNow), body, guard)).toMatchObject({ status: 401, message: /replayed/ });
    guard.release(key);
    expect(auth(secrets, at(tsNow), body, guard).ok).toBe(true);
    guard.commit(key);
    guard.release(key); // a commit is final
    expect(auth(secrets, at(tsNow), body, guard, REQ, NOW + 1000)).toMatchObject({
      status: 401,
      message: /replayed/,
    });
    // Once the timestamp has left the window, the timestamp check refuses it instead.
    expect(auth(secrets, at(tsNow), body, guard, REQ, NOW + HMAC_WINDOW_MS + 1000)).toMatchObject({
      message: /stale/,
    });
  });
});

describe('native signatures', () => {
  const grafana = { tokens: [], grafana: new Map([['acme/infra', ['old-g', 'new-g']]]) };
  const gsig = (key: string, ts: number, raw = body) =>
    createHmac('sha256', key).update(`${ts}:`).update(raw).digest('hex');

  it("Grafana: hex HMAC-SHA256 of timestamp:body with the repository's secret, either during a rotation", () => {
    for (const key of ['old-g', 'new-g']) {
      expect(
        auth(grafana, { grafanaSignature: gsig(key, tsNow), grafanaTimestamp: String(tsNow) }),
      ).toMatchObject({
        ok: true,
        method: 'grafana',
      });
    }
    expect(
      auth(grafana, { grafanaSignature: gsig('x', tsNow), grafanaTimestamp: String(tsNow) }),
    ).toMatchObject({ status: 403 });
    // Grafana does not sign the URL, so the secret is per repository: another repo has none.
    const elsewhere = { ...REQ, repoKey: 'acme/other' };
    expect(
      auth(
        grafana,
        { grafanaSignature: gsig('new-g', tsNow), grafanaTimestamp: String(tsNow) },
        body,
        new ReplayGuard(),
        elsewhere,
      ),
    ).toMatchObject({
      status: 403,
      message: /no Grafana HMAC secret is configured for acme\/other/,
    });
    expect(auth(grafana, { grafanaSignature: gsig('new-g', tsNow) })).toMatchObject({
      status: 401,
      message: /Timestamp Header/,
    });
    expect(
      auth(grafana, { grafanaSignature: gsig('new-g', tsNow - 400), grafanaTimestamp: String(tsNow - 400) }),
    ).toMatchObject({
      status: 401,
      message: /stale/,
    });
  });

  it('PagerDuty v3: any v1= signature of the body with a secret of the repository', () => {
    const pd = { tokens: [], pagerduty: new Map([['acme/infra', ['pd-secret']]]) };
    const good = createHmac('sha256', 'pd-secret').update(body).digest('hex');
    const other = createHmac('sha256', 'rotated-away').update(body).digest('hex');
    expect(pagerDutySignatures(`v1=${other},v1=${good}`)).toHaveLength(2);
    expect(auth(pd, { pagerdutySignature: `v1=${other},v1=${good}` })).toEqual({
      ok: true,
      method: 'pagerduty',
    });
    expect(auth(pd, { pagerdutySignature: `v1=${other}` })).toMatchObject({ status: 403 });
    expect(auth(pd, { pagerdutySignature: `v0=${good}` })).toMatchObject({ status: 401 });
  });
});

describe('ReplayGuard', () => {
  it('forgets entries after they expire and stays bounded', () => {
    const guard = new ReplayGuard(3);
    expect(guard.reserve('a', 100, 0)).toBe(true);
    guard.commit('a');
    expect(guard.reserve('a', 100, 50)).toBe(false);
    expect(guard.reserve('a', 300, 100)).toBe(true);
    for (const k of ['b', 'c', 'd', 'e']) guard.reserve(k, 1000, 150);
    expect(guard.size).toBe(3);
  });
});
