// Secrets never reach a report: URL userinfo, secret-looking query parameters and headers, echoed values.
import { describe, expect, it } from 'vitest';
import {
  looksSecret,
  redactHeaders,
  redactText,
  redactUrl,
  scrub,
  splitCredentials,
} from '../../../src/verify/redact.js';

describe('redaction', () => {
  it('masks userinfo and secret query parameters in URLs, keeping the rest readable', () => {
    expect(redactUrl('https://ops:pw@prom.example.com:9090/x?query=up&api_key=abc&token=t')).toBe(
      'https://***@prom.example.com:9090/x?query=up&api_key=***&token=***',
    );
    expect(redactUrl('https://user@host/')).toBe('https://***@host/');
    expect(redactUrl('http://host/healthz')).toBe('http://host/healthz');
  });

  it('masks credentials in free text, including URLs that do not parse', () => {
    expect(redactText('connect to postgres://app:hunter2@db:5432 failed')).toBe(
      'connect to postgres://***@db:5432 failed',
    );
    expect(redactText('got 401 for Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.x')).toBe(
      'got 401 for Authorization: Bearer ***',
    );
    expect(redactText('redirect to /login?session=abcdef&next=/')).toBe(
      'redirect to /login?session=***&next=/',
    );
  });

  it('recognises secret-looking header names', () => {
    for (const name of [
      'Authorization',
      'X-Api-Key',
      'Cookie',
      'X-Auth-Token',
      'Proxy-Authorization',
      'X-Secret',
    ]) {
      expect(looksSecret(name)).toBe(true);
    }
    for (const name of ['Accept', 'X-Region', 'Host', 'User-Agent']) expect(looksSecret(name)).toBe(false);
    expect(redactHeaders({ Authorization: 'Bearer x', 'X-Region': 'us' })).toEqual({
      Authorization: '***',
      'X-Region': 'us',
    });
  });

  it('scrubs known secret values wherever they appear', () => {
    expect(scrub('server said: bad key k3y-12345', ['k3y-12345'])).toBe('server said: bad key ***');
    expect(scrub('abc is fine', ['abc'])).toBe('abc is fine'); // too short to mask safely
  });

  it('moves URL credentials into a Basic Authorization header', () => {
    const parts = splitCredentials('http://r%40ops:p%3Ass@127.0.0.1:9090/prom');
    expect(parts.url.toString()).toBe('http://127.0.0.1:9090/prom');
    expect(parts.authorization).toBe(`Basic ${Buffer.from('r@ops:p:ss').toString('base64')}`);
    expect(parts.secrets).toContain('p:ss');
    expect(splitCredentials('http://127.0.0.1/').authorization).toBeUndefined();
  });
});
