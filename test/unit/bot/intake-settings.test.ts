// The intake's own parsing: the query (one spelling of the credential key, each key once, values masked
// for the logs) and the settings that carry per-repository secrets (refused without echoing them).
import { describe, expect, it } from 'vitest';
import { readQuery } from '../../../bot/intake-route.js';
import { readBotSettings, repoSecretMap } from '../../../bot/settings.js';

describe('readQuery', () => {
  it('reads token and source, and masks every secret-looking value for req.url', () => {
    expect(readQuery('source=sns&token=abc%2Fdef')).toEqual({
      source: 'sns',
      token: 'abc/def',
      redacted: 'source=sns&token=***',
    });
    expect(readQuery('')).toEqual({ redacted: '' });
  });

  it.each([
    ['to%6Ben=abc', 'the credential query parameter is spelled exactly "token"', 'to%6Ben=***'],
    ['TOKEN=abc', 'the credential query parameter is spelled exactly "token"', 'TOKEN=***'],
    ['token=a&token=b', 'send ?token= once', 'token=***&token=***'],
    ['source=a&source=b', 'send ?source= once', 'source=a&source=b'],
    ['api_key=zz&x=1', 'the credential query parameter is spelled exactly "token"', 'api_key=***&x=1'],
  ])('%s is refused and still masked', (raw, problem, redacted) => {
    const q = readQuery(raw);
    expect(q.problem).toBe(problem);
    expect(q.redacted).toBe(redacted);
  });
});

describe('per-repository secrets', () => {
  it('maps owner/repo (lower-cased) to its secrets, several during a rotation', () => {
    expect(repoSecretMap('Acme/Infra=s1, acme/infra=s2,acme/web=s3', 'X')).toEqual(
      new Map([
        ['acme/infra', ['s1', 's2']],
        ['acme/web', ['s3']],
      ]),
    );
  });

  it('refuses a malformed entry without repeating the secret in it', () => {
    expect(() => repoSecretMap('just-a-secret-value', 'FAILOVER_PAGERDUTY_SECRETS')).toThrow(
      'FAILOVER_PAGERDUTY_SECRETS: every entry must be owner/repo=secret',
    );
    try {
      repoSecretMap('just-a-secret-value', 'X');
    } catch (err) {
      expect(String(err)).not.toContain('just-a-secret-value');
    }
  });

  it('reads the intake settings with their defaults', () => {
    const key = { FAILOVER_MARKER_KEY: 'k'.repeat(32) };
    const s = readBotSettings({ ...key, FAILOVER_MESSAGE_MAX_AGE: '30m', METRICS_PORT: '9464' });
    expect([s.messageMaxAgeMs, s.metricsPort, s.grafanaTimestampHeader, s.maxBodyBytesInFlight]).toEqual([
      30 * 60_000,
      9464,
      'x-grafana-alerting-signature-timestamp',
      16 * 1024 * 1024,
    ]);
    expect(() => readBotSettings({ ...key, METRICS_PORT: 'metrics' })).toThrow(
      'METRICS_PORT must be a positive integer',
    );
  });
});
