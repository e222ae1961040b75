// The product's one redaction (src/core/redact.ts): every shape the issue lists, every registered value in
// every spelling, and no damage to the ordinary text reports are made of.
import { describe, expect, it } from 'vitest';
import { redactLogLine } from '../../../bot/logging.js';
import { botSecrets } from '../../../bot/settings.js';
import {
  MASK,
  redactDeep,
  redactPatterns,
  SecretRegistry,
  secretsFromEnvironment,
} from '../../../src/core/redact.js';

describe('credential shapes', () => {
  it.each([
    ['URL userinfo', 'GET https://admin:hunter2@state.example.com/x', 'GET https://***@state.example.com/x'],
    ['token=', 'redirect /cb?token=abc123&next=/', 'redirect /cb?token=***&next=/'],
    ['access_token=', 'url?access_token=zzz9', 'url?access_token=***'],
    ['password=', 'password=s3cret host=db', 'password=*** host=db'],
    ['secret=', 'client secret=xyz12', 'client secret=***'],
    ['percent-encoded name', '/a?to%6Ben=abc123', '/a?to%6Ben=***'],
    ['bearer value', 'Authorization: Bearer eyJhbGciOi.x.y', 'Authorization: Bearer ***'],
    ['GitHub ghp_', 'used ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789 here', 'used *** here'],
    ['GitHub ghs_', 'ghs_16C7e42F292c6912E7710c838347Ae178B4a', '***'],
    [
      'GitHub fine-grained',
      'github_pat_11ABCDEFG0abcdefghijkl_mnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTU',
      '***',
    ],
    ['AWS access key id', 'key AKIAIOSFODNN7EXAMPLE rejected', 'key *** rejected'],
    [
      'AWS secret by shape',
      'secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY rejected',
      'secret *** rejected',
    ],
    ['AWS secret by name', 'aws_secret_access_key = abc/def', 'aws_secret_access_key = ***'],
  ])('%s', (_name, text, expected) => {
    expect(redactPatterns(text)).toBe(expected);
  });

  it('leaves ordinary report text alone: SHAs, paths, regions, durations, markdown', () => {
    const text = [
      'commit 9fceb02d0ae598e95dc970b74767f19372d61af8 on failover/checkout',
      'envs/prod/failover.auto.tfvars.json: checkout_active_region us-east-1 → us-west-2',
      '| terraform apply | **failed** | 1.2s |',
      'RTO 93s; https://github.com/acme/infra/pull/7',
    ].join('\n');
    expect(redactPatterns(text)).toBe(text);
  });
});

describe('registered secrets', () => {
  it('are removed in their raw, percent-encoded and JSON-escaped spellings, longest first', () => {
    const secrets = new SecretRegistry().add('p@ss/word"1').add('p@ss');
    expect(secrets.redact('a p@ss/word"1 b')).toBe(`a ${MASK} b`);
    expect(secrets.redact(`u=${encodeURIComponent('p@ss/word"1')}`)).toBe(`u=${MASK}`);
    expect(secrets.redact(JSON.stringify({ m: 'x p@ss/word"1' }))).toBe(`{"m":"x ${MASK}"}`);
  });

  it('registers multi-line keys line by line, and ignores values too short to mask safely', () => {
    const pem =
      '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAx1y2\nQWERTYline2abc\n-----END RSA PRIVATE KEY-----';
    const secrets = new SecretRegistry().add(pem).add('ab');
    expect(secrets.redact('key line MIIEowIBAAKCAQEAx1y2 leaked')).toBe(`key line ${MASK} leaked`);
    expect(secrets.redact('ab stays')).toBe('ab stays');
  });

  it('come from secret-looking environment names, token lists and owner/repo=secret maps', () => {
    const found = secretsFromEnvironment({
      FAILOVER_ALERT_TOKENS: 'token-one-1234,token-two-5678',
      FAILOVER_PAGERDUTY_SECRETS: 'acme/infra=pd-secret-abcdef',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG',
      LOG_LEVEL: 'debug-verbose-long',
      API_KEY: 'short',
    });
    expect(found).toEqual(
      expect.arrayContaining([
        'token-one-1234',
        'token-two-5678',
        'pd-secret-abcdef',
        'wJalrXUtnFEMI/K7MDENG',
      ]),
    );
    expect(found).not.toContain('debug-verbose-long');
    expect(found).not.toContain('short');
    const bot = botSecrets({
      FAILOVER_ALERT_TOKENS: 'tok5',
      PRIVATE_KEY: '-----BEGIN X-----\\nAAAABBBBCCCC\\n-----END X-----',
    });
    expect(bot.redact('tok5 AAAABBBBCCCC')).toBe(`${MASK} ${MASK}`);
  });
});

describe('deep redaction', () => {
  it('masks secret-named fields whole when asked, keeps skipped keys, redacts every other string', () => {
    const value = {
      headers: { 'x-forwarded-authorization': 'Bearer abc', 'content-type': 'text/plain' },
      msg: 'POST /x?token=abc',
      contents: 'dG9rZW49YWJj',
    };
    expect(
      redactDeep(value, { redact: redactPatterns, maskSecretKeys: true, skipKeys: new Set(['contents']) }),
    ).toEqual({
      headers: { 'x-forwarded-authorization': MASK, 'content-type': 'text/plain' },
      msg: 'POST /x?token=***',
      contents: 'dG9rZW49YWJj',
    });
  });

  it('a log line keeps its shape and loses every credential', () => {
    const secrets = new SecretRegistry().add('tok-known-123');
    const line = JSON.stringify({
      msg: 'POST /failover/v1/alert/acme/infra?to%6Ben=tok-known-123 404 - 3ms',
      req: {
        url: '/x?token=tok-known-123',
        headers: { 'x-forwarded-authorization': 'Bearer tok-known-123' },
      },
      err: { message: 'fetch https://u:tok-known-123@h failed' },
    });
    const out = redactLogLine(line, secrets);
    expect(out).not.toContain('tok-known-123');
    expect(JSON.parse(out).req.headers['x-forwarded-authorization']).toBe(MASK);
    expect(JSON.parse(out).msg).toContain('/failover/v1/alert/acme/infra');
  });
});

describe('what the GitHub client keeps as sent', () => {
  it('identifiers and file contents, while prose beside them is redacted', async () => {
    const { redactingClient } = await import('../../../src/github/client.js');
    const sent: unknown[] = [];
    const client = redactingClient(
      {
        request: async (_route, params) => {
          sent.push(params);
          return { status: 200, data: {}, headers: {} };
        },
        graphql: async (_query, vars) => {
          sent.push(vars);
          return {} as never;
        },
      },
      redactPatterns,
    );
    const idShaped = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    await client.graphql('mutation', {
      pullRequestId: idShaped,
      expectedHeadOid: idShaped,
      input: {
        fileChanges: { additions: [{ path: 'a', contents: idShaped }] },
        message: { headline: `x ${idShaped}` },
      },
    });
    await client.request('PATCH /x', { check_run_id: idShaped, body: `token=abc ${idShaped}` });
    expect(sent).toEqual([
      {
        pullRequestId: idShaped,
        expectedHeadOid: idShaped,
        input: {
          fileChanges: { additions: [{ path: 'a', contents: idShaped }] },
          message: { headline: 'x ***' },
        },
      },
      { check_run_id: idShaped, body: 'token=*** ***' },
    ]);
  });
});
