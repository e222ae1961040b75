import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  authenticate,
  HMAC_WINDOW_MS,
  NOT_CONFIGURED,
  precheck,
  ReplayGuard,
  tokenMatches,
} from '../../../src/intake/auth.js';

const NOW = Date.parse('2026-11-26T05:00:00Z');
const body = Buffer.from('{"alerts":[]}');
const sign = (secret: string, ts: number, raw: Buffer = body) =>
  `sha256=${createHmac('sha256', secret).update(`${ts}.`).update(raw).digest('hex')}`;
const tsNow = Math.floor(NOW / 1000);

describe('authenticate', () => {
  it('refuses everything when nothing is configured (fail closed)', () => {
    const out = authenticate({ tokens: [] }, { authorization: 'Bearer x' }, body, NOW, new ReplayGuard());
    expect(out).toEqual({ ok: false, status: 403, message: NOT_CONFIGURED });
    expect(precheck({ tokens: ['', '  '] }, { authorization: 'Bearer x' })).toMatchObject({ status: 403 });
  });

  it('asks for credentials when none are sent', () => {
    expect(precheck({ tokens: ['a'] }, {})).toMatchObject({
      ok: false,
      status: 401,
      message: /missing credentials/,
    });
  });

  it('accepts every token of a rotation and refuses others', () => {
    const secrets = { tokens: ['old-token', 'new-token'] };
    const guard = new ReplayGuard();
    expect(authenticate(secrets, { authorization: 'Bearer old-token' }, body, NOW, guard)).toEqual({
      ok: true,
      method: 'bearer',
    });
    expect(authenticate(secrets, { authorization: 'bearer new-token' }, body, NOW, guard)).toEqual({
      ok: true,
      method: 'bearer',
    });
    expect(authenticate(secrets, { authorization: 'Bearer new-tokenX' }, body, NOW, guard)).toMatchObject({
      status: 403,
      message: 'wrong token',
    });
    expect(authenticate(secrets, { authorization: 'Basic abc' }, body, NOW, guard)).toMatchObject({
      status: 401,
    });
    expect(tokenMatches(secrets, '')).toBe(false);
  });

  it('accepts a query token only as a token (the route restricts it to SNS)', () => {
    const secrets = { tokens: ['t1'] };
    expect(authenticate(secrets, { queryToken: 't1' }, body, NOW, new ReplayGuard())).toEqual({
      ok: true,
      method: 'query-token',
    });
    expect(authenticate(secrets, { queryToken: 't2' }, body, NOW, new ReplayGuard())).toMatchObject({
      status: 403,
    });
  });

  it('verifies HMAC over timestamp.body within the window and refuses replays', () => {
    const secrets = { tokens: [], hmacSecret: 's3cret' };
    const guard = new ReplayGuard();
    const creds = { signature: sign('s3cret', tsNow), timestamp: String(tsNow) };
    expect(authenticate(secrets, creds, body, NOW, guard)).toEqual({ ok: true, method: 'hmac' });
    expect(authenticate(secrets, creds, body, NOW + 1000, guard)).toMatchObject({
      status: 401,
      message: /replayed/,
    });
    // Same timestamp, other body: a different signature, not a replay.
    const other = Buffer.from('{"alerts":[1]}');
    expect(
      authenticate(
        secrets,
        { signature: sign('s3cret', tsNow, other), timestamp: String(tsNow) },
        other,
        NOW,
        guard,
      ),
    ).toEqual({ ok: true, method: 'hmac' });
  });

  it('refuses a wrong key, a tampered body, stale or future timestamps and malformed headers', () => {
    const secrets = { tokens: [], hmacSecret: 's3cret' };
    const guard = new ReplayGuard();
    const at = (ts: number, sig = sign('s3cret', ts)) => ({ signature: sig, timestamp: String(ts) });
    expect(authenticate(secrets, at(tsNow, sign('other', tsNow)), body, NOW, guard)).toMatchObject({
      status: 403,
      message: 'wrong signature',
    });
    expect(authenticate(secrets, at(tsNow), Buffer.from('{"x":1}'), NOW, guard)).toMatchObject({
      status: 403,
    });
    const stale = tsNow - HMAC_WINDOW_MS / 1000 - 1;
    expect(authenticate(secrets, at(stale), body, NOW, guard)).toMatchObject({
      status: 401,
      message: /stale timestamp/,
    });
    expect(authenticate(secrets, at(tsNow + 301), body, NOW, guard)).toMatchObject({
      status: 401,
      message: /stale/,
    });
    expect(
      authenticate(secrets, { signature: 'sha256=abc', timestamp: String(tsNow) }, body, NOW, guard),
    ).toMatchObject({ status: 401 });
    expect(
      authenticate(secrets, { signature: sign('s3cret', tsNow), timestamp: 'yesterday' }, body, NOW, guard),
    ).toMatchObject({ status: 401 });
    expect(authenticate({ tokens: ['t'] }, at(tsNow), body, NOW, guard)).toMatchObject({
      status: 403,
      message: /not enabled/,
    });
  });
});

describe('ReplayGuard', () => {
  it('forgets entries after they expire and stays bounded', () => {
    const guard = new ReplayGuard(3);
    expect(guard.remember('a', 100, 0)).toBe(true);
    expect(guard.remember('a', 100, 50)).toBe(false);
    expect(guard.remember('a', 300, 100)).toBe(true);
    for (const k of ['b', 'c', 'd', 'e']) guard.remember(k, 1000, 150);
    expect(guard.size).toBe(3);
  });
});
