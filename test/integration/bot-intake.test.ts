// The alert intake end to end: real HTTP into Probot's own server, our app, the GitHub port and the
// GitHub double. Every refusal is checked for its status, its message, and that GitHub saw no change.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGitHubPort } from '../../src/github/index.js';
import { type BotHarness, startBot } from '../helpers/bot-harness.js';
import { type RawAnswer, rawPost } from '../helpers/bot-requests.js';
import { infraRepoFiles } from '../helpers/github-double/fixtures.js';
import { type GitHubDouble, type RepoState, startGitHubDouble } from '../helpers/github-double/index.js';
import { createSnsSigner, type SnsSigner } from '../helpers/sns-signer.js';

const TOKEN = 'tok-current-7f3a9c';
const OLD_TOKEN = 'tok-previous-22b1';
const HMAC_SECRET = 'hmac-secret-91d0e';
const ALLOWED_TOPIC = 'arn:aws:sns:eu-west-1:1234567890:failover-alarms';
const ALERT = readFileSync('examples/alerts/alertmanager-region-down.json', 'utf8');
const AZURE = readFileSync(
  'test/fixtures/other-alerts/azure-monitor-common-schema-metric-resolved.json',
  'utf8',
);
const UNRELATED = readFileSync('test/fixtures/alertmanager/firing-single-fire-critical.json', 'utf8');
const snsFixture = (name: string) =>
  JSON.parse(readFileSync(`test/fixtures/sns-cloudwatch/${name}`, 'utf8')) as Record<string, unknown>;
/** A Notification fixture as the allow-listed topic would send it now (the bot refuses old messages). */
const freshSns = (name: string) => ({
  ...snsFixture(name),
  TopicArn: ALLOWED_TOPIC,
  Timestamp: new Date().toISOString(),
});
const BOMB = `version: 1
a: &a ["x","x","x","x","x","x","x","x","x"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
services: {}
`;

let double: GitHubDouble;
let bot: BotHarness;
let infra: RepoState;
let signer: SnsSigner;
const visited: string[] = [];

beforeAll(() => {
  signer = createSnsSigner();
});

beforeEach(async () => {
  visited.length = 0;
  double = await startGitHubDouble();
  infra = double.state.seed('acme', 'infra', infraRepoFiles());
  double.state.seed('acme', 'no-config', { 'README.md': '# nothing here\n' });
  double.state.seed('acme', 'bomb', infraRepoFiles({ '.github/failover.yml': BOMB }));
  bot = await startBot({
    githubUrl: double.url,
    env: {
      FAILOVER_ALERT_TOKENS: `${OLD_TOKEN}, ${TOKEN}`,
      FAILOVER_ALERT_HMAC_SECRET: HMAC_SECRET,
      FAILOVER_SNS_TOPICS: ALLOWED_TOPIC,
    },
    app: {
      fetchText: async (url) => {
        if (url.endsWith('.pem')) return signer.certPem;
        visited.push(url);
        return '<ConfirmSubscriptionResponse/>';
      },
      // One quick retry so fault tests do not wait for production backoff.
      portFactory: (client, owner, repo) =>
        createGitHubPort({ client, owner, repo, retry: { retries: 1, baseMs: 1 }, sleep: async () => {} }),
    },
  });
});

afterEach(async () => {
  await bot.close();
  await double.close();
});

const AM = '/failover/v1/alerts/acme/infra';
const bearer = (token = TOKEN) => ({ 'content-type': 'application/json', authorization: `Bearer ${token}` });
const post = (path: string, body: string | Buffer, headers: Record<string, string> = bearer()) =>
  rawPost(bot.url, path, body, headers);
function hmacHeaders(body: string, secret = HMAC_SECRET, ts = Math.floor(Date.now() / 1000), target = AM) {
  const sig = createHmac('sha256', secret).update(`${ts}\nPOST\n${target}\n${body}`).digest('hex');
  return {
    'content-type': 'application/json',
    'x-failover-timestamp': String(ts),
    'x-failover-signature-256': `sha256=${sig}`,
  };
}

/** GitHub calls that only read (or mint the installation token). Anything else is a change. */
const READS = new Set([
  'graphql FailoverSnapshot',
  'graphql FailoverStateFiles',
  'POST /app/installations/:n/access_tokens',
]);
function mutations(): string[] {
  return double.calls.filter((c) => c.method !== 'GET' && !READS.has(c.name)).map((c) => c.name);
}
function expectNothingChanged(): void {
  expect(mutations()).toEqual([]);
  for (const repo of ['infra', 'no-config', 'bomb']) {
    const r = double.state.repo('acme', repo);
    expect(r?.pulls.size, repo).toBe(0);
    expect([...(r?.refs.keys() ?? [])], repo).toEqual(['refs/heads/main']);
    expect(r?.comments.size, repo).toBe(0);
  }
}
const prs = () => [...infra.pulls.values()];

describe('security table: refused, answered as DESIGN §5 says, nothing changed on GitHub', () => {
  const signedAlarm = () => JSON.stringify(signer.sign(freshSns('notification-alarm-s3-bucket-size.json')));
  const cases: {
    name: string;
    send: () => Promise<RawAnswer>;
    status: number;
    message: RegExp;
  }[] = [
    {
      name: 'no credentials',
      send: () => post(AM, ALERT, { 'content-type': 'application/json' }),
      status: 401,
      message: /missing credentials/,
    },
    {
      name: 'wrong token',
      send: () => post(AM, ALERT, bearer('tok-guess')),
      status: 403,
      message: /wrong token/,
    },
    {
      name: 'token of another scheme',
      send: () => post(AM, ALERT, { ...bearer(), authorization: `Basic ${TOKEN}` }),
      status: 401,
      message: /Bearer/,
    },
    {
      name: 'wrong HMAC key',
      send: () => post(AM, ALERT, hmacHeaders(ALERT, 'not-the-secret')),
      status: 403,
      message: /wrong signature/,
    },
    {
      name: 'HMAC over another body',
      send: () => post(AM, ALERT, hmacHeaders(UNRELATED)),
      status: 403,
      message: /wrong signature/,
    },
    {
      name: 'stale HMAC timestamp',
      send: () => post(AM, ALERT, hmacHeaders(ALERT, HMAC_SECRET, Math.floor(Date.now() / 1000) - 301)),
      status: 401,
      message: /stale timestamp/,
    },
    {
      name: 'oversized body (declared)',
      send: () => post(AM, Buffer.alloc(1024 * 1024 + 1, 0x20)),
      status: 413,
      message: /larger than 1048576 bytes/,
    },
    {
      name: 'wrong content type',
      send: () => post(AM, ALERT, { ...bearer(), 'content-type': 'application/x-www-form-urlencoded' }),
      status: 415,
      message: /must be application\/json/,
    },
    {
      name: 'text/plain that is not SNS',
      send: () => post(AM, ALERT, { ...bearer(), 'content-type': 'text/plain' }),
      status: 415,
      message: /accepted from SNS only/,
    },
    {
      name: 'invalid JSON',
      send: () => post(AM, '{"alerts": [', bearer()),
      status: 400,
      message: /not valid JSON/,
    },
    {
      name: 'not a payload of the named source',
      send: () => post(`${AM}?source=alertmanager`, '{"hello":"world"}'),
      status: 400,
      message: /alertmanager|alerts/i,
    },
    {
      name: 'unknown source',
      send: () => post(`${AM}?source=nagios`, ALERT),
      status: 400,
      message: /unknown source "nagios"/,
    },
    {
      name: 'forged SNS signature',
      send: () => {
        const signed = signer.sign(freshSns('notification-alarm-s3-bucket-size.json'));
        const forged = {
          ...signed,
          Message: String(signed.Message).replace('bucketbytesAlarm', 'RegionDown'),
        };
        return post(`${AM}?source=sns&token=${TOKEN}`, JSON.stringify(forged), {
          'content-type': 'text/plain',
        });
      },
      status: 403,
      message: /does not verify/,
    },
    {
      name: 'SNS certificate on a foreign host',
      send: () => {
        const env = signer.sign(snsFixture('notification-alarm-s3-bucket-size.json'), {
          certUrl: 'https://sns.eu-west-1.amazonaws.com.attacker.example/cert.pem',
        });
        return post(`${AM}?token=${TOKEN}`, JSON.stringify(env), { 'content-type': 'text/plain' });
      },
      status: 403,
      message: /foreign certificate host/,
    },
    {
      name: 'SNS subscription to a topic not allow-listed',
      send: () =>
        post(
          `${AM}?token=${TOKEN}`,
          JSON.stringify(signer.sign(snsFixture('subscription-confirmation.json'))),
          {
            'content-type': 'text/plain',
          },
        ),
      status: 403,
      message: /not allow-listed/,
    },
    {
      name: 'SNS delivery with a wrong ?token=',
      send: () => post(`${AM}?token=guess`, signedAlarm(), { 'content-type': 'text/plain' }),
      status: 403,
      message: /wrong token/,
    },
    {
      name: '?token= on a non-SNS body',
      send: () => post(`${AM}?token=${TOKEN}`, ALERT, { 'content-type': 'application/json' }),
      status: 401,
      message: /only on signed SNS deliveries/,
    },
    {
      name: '?token= on an Azure Monitor body (Azure cannot sign: no query-token shortcut)',
      send: () => post(`${AM}?source=azure&token=${TOKEN}`, AZURE, { 'content-type': 'application/json' }),
      status: 401,
      message: /only on signed SNS deliveries/,
    },
    {
      name: 'Azure alert without the common alert schema',
      send: () =>
        post(`${AM}?source=azure`, JSON.stringify({ schemaId: 'AzureMonitorMetricAlert', data: {} })),
      status: 400,
      message: /^azure: schemaId must be "azureMonitorCommonAlertSchema"/,
    },
    {
      name: 'app not installed on the repo',
      send: () => post('/failover/v1/alerts/acme/elsewhere', ALERT),
      status: 404,
      message: /app not installed on acme\/elsewhere/,
    },
    {
      name: 'repo without config',
      send: () => post('/failover/v1/alerts/acme/no-config', ALERT),
      status: 404,
      message: /no \.github\/failover\.yml on main/,
    },
    {
      name: 'path traversal ..',
      send: () => post('/failover/v1/alerts/../infra', ALERT),
      status: 400,
      message: /invalid owner/,
    },
    {
      name: 'encoded dot segments',
      send: () => post('/failover/v1/alerts/acme/%2e%2e', ALERT),
      status: 400,
      message: /invalid repository name/,
    },
    {
      name: 'encoded slash in repo',
      send: () => post('/failover/v1/alerts/acme/..%2Finfra', ALERT),
      status: 400,
      message: /invalid repository name "\.\.\/infra"/,
    },
    {
      name: 'extra path segments',
      send: () => post('/failover/v1/alerts/acme/infra/../../x', ALERT),
      status: 400,
      message: /path must be/,
    },
    {
      name: 'GET instead of POST',
      send: () => rawPost(bot.url, AM, '', bearer(), 'GET'),
      status: 405,
      message: /use POST/,
    },
  ];

  it.each(cases)('$name → $status', async ({ send, status, message }) => {
    const res = await send();
    expect(res.status).toBe(status);
    expect(String(res.json?.message)).toMatch(message);
    expectNothingChanged();
  });

  it('YAML bomb in the repo config: refused as a config error, nothing done', async () => {
    const res = await post('/failover/v1/alerts/acme/bomb', ALERT);
    expect(res.status).toBe(200);
    expect(res.json?.decisions).toEqual([]);
    expect(String((res.json?.reasons as string[] | undefined)?.[0])).toMatch(
      /config error, nothing done: \.github\/failover\.yml:\d+:\d+/,
    );
    expectNothingChanged();
    expect(bot.logs.some((l) => l.includes('"event":"config_error"'))).toBe(true);
  });

  it('a replayed HMAC request is refused', async () => {
    const headers = hmacHeaders(UNRELATED);
    const first = await post(AM, UNRELATED, headers);
    expect(first.status).toBe(200);
    const again = await post(AM, UNRELATED, headers);
    expect([again.status, again.json?.message]).toEqual([401, 'replayed: this signature was already used']);
    expectNothingChanged();
  });

  it('an endpoint without any secret refuses everything', async () => {
    const bare = await startBot({ githubUrl: double.url, env: {} });
    try {
      const res = await rawPost(bare.url, AM, ALERT, bearer());
      expect(res.status).toBe(403);
      expect(String(res.json?.message)).toMatch(/not configured/);
    } finally {
      await bare.close();
    }
    expectNothingChanged();
  });

  it('an oversized chunked body is cut off while streaming', async () => {
    const big = 'x'.repeat(64 * 1024);
    const res = await fetch(`${bot.url}${AM}`, {
      method: 'POST',
      headers: bearer(),
      duplex: 'half',
      body: new ReadableStream({
        start(c) {
          for (let i = 0; i < 20; i++) c.enqueue(new TextEncoder().encode(big));
          c.close();
        },
      }),
    } as RequestInit);
    expect(res.status).toBe(413);
    expectNothingChanged();
  });
});

describe('accepted senders', () => {
  it('opens exactly one PR for an Alertmanager notification and answers with the decision', async () => {
    const res = await post(AM, ALERT);
    expect(res.status).toBe(200);
    expect(res.json?.decisions).toEqual([
      expect.objectContaining({
        service: 'checkout',
        action: 'merge',
        from: 'us-east-1',
        to: 'us-west-2',
        pr: 1,
      }),
    ]);
    expect(prs()).toHaveLength(1);
    expect(prs()[0]?.title).toBe('Failover checkout: us-east-1 → us-west-2');
  });

  it('accepts the previous token during a rotation and an HMAC-signed request', async () => {
    expect((await post(AM, UNRELATED, bearer(OLD_TOKEN))).status).toBe(200);
    expect((await post(AM, ALERT, hmacHeaders(ALERT))).status).toBe(200);
    expect(prs()).toHaveLength(1);
  });

  it('coalesces 50 concurrent duplicates into one PR', async () => {
    const answers = await Promise.all(Array.from({ length: 50 }, () => post(AM, ALERT)));
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
    expect(
      new Set(answers.map((a) => (a.json?.decisions as { pr?: number }[] | undefined)?.[0]?.pr)),
    ).toEqual(new Set([1]));
    expect(prs()).toHaveLength(1);
    expect(double.counters()['graphql FailoverOpenPr']).toBe(1);
  });

  it('accepts a signed SNS delivery with ?token= and confirms allow-listed subscriptions', async () => {
    const alarm = await post(
      `${AM}?token=${TOKEN}`,
      JSON.stringify(signer.sign(freshSns('notification-alarm-s3-bucket-size.json'))),
      {
        'content-type': 'text/plain; charset=UTF-8',
      },
    );
    expect(alarm.status).toBe(200);
    expect(alarm.json?.decisions).toEqual([]);
    const sub: Record<string, unknown> = {
      ...snsFixture('subscription-confirmation.json'),
      TopicArn: ALLOWED_TOPIC,
    };
    sub.SubscribeURL = String(sub.SubscribeURL).replace(
      'arn:aws:sns:eu-west-1:1234567890:alerta-test',
      ALLOWED_TOPIC,
    );
    const confirmed = await post(`${AM}?token=${TOKEN}`, JSON.stringify(signer.sign(sub, { version: '2' })), {
      'content-type': 'text/plain',
    });
    expect([confirmed.status, confirmed.json]).toEqual([200, { subscribed: ALLOWED_TOPIC }]);
    expect(visited).toEqual([sub.SubscribeURL]);
    expectNothingChanged();
  });
});

describe('Azure Monitor through a relay that adds the bearer token', () => {
  /** The shared fixture as the RegionDown rule would send it when it fires. */
  const firedRegionDown = () => {
    const body = JSON.parse(AZURE) as {
      data: { essentials: Record<string, unknown>; customProperties: unknown };
    };
    Object.assign(body.data.essentials, {
      alertRule: 'RegionDown',
      severity: 'Sev0',
      monitorCondition: 'Fired',
      firedDateTime: new Date(Date.now() - 10 * 60_000).toISOString(),
      resolvedDateTime: null,
    });
    body.data.customProperties = { service: 'checkout', region: 'us-east-1', probe: 'azure-eastus' };
    return JSON.stringify(body);
  };

  it('a Fired RegionDown alert fails checkout over; the shared fixture is detected as azure; metrics say source="azure"', async () => {
    const res = await post(`${AM}?source=azure`, firedRegionDown());
    expect(res.status).toBe(200);
    expect(res.json?.source).toBe('azure');
    // Routed by the rule's custom properties (service checkout, region us-east-1) and Sev0 = critical.
    expect(res.json?.decisions).toEqual([
      expect.objectContaining({
        service: 'checkout',
        action: 'merge',
        from: 'us-east-1',
        to: 'us-west-2',
        pr: 1,
      }),
    ]);
    expect(prs().map((pr) => pr.title)).toEqual(['Failover checkout: us-east-1 → us-west-2']);
    const detected = await post(AM, AZURE);
    expect([detected.status, detected.json?.source, detected.json?.decisions]).toEqual([200, 'azure', []]);
    const metrics = await (await fetch(`${bot.url}/metrics`)).text();
    expect(metrics).toMatch(/failover_alerts_received_total\{source="azure",code="200"\} 2/);
  });
});

describe('GitHub failures', () => {
  it('judges the body before any GitHub call: garbage is a 400 and nothing to act on a 200, even while GitHub is down', async () => {
    double.setFaults({ probability: 1, kinds: [{ status: 502 }] });
    const before = double.calls.length;
    const garbage = await post(AM, '{"nope":1}');
    expect(garbage.status).toBe(400);
    expect(String(garbage.json?.message)).toMatch(/cannot tell the alert source/);
    const insufficient = await post(
      `${AM}?source=sns&token=${TOKEN}`,
      JSON.stringify(signer.sign(freshSns('notification-insufficient-data-sns-count.json'))),
      { 'content-type': 'text/plain' },
    );
    expect(insufficient.status).toBe(200);
    expect(insufficient.json?.decisions).toEqual([]);
    expect(double.calls.length - before).toBe(0);
  });

  it('answers 503 with Retry-After while GitHub fails, and the retry opens the PR', async () => {
    double.setFaults({ probability: 1, kinds: [{ status: 502 }], match: (n) => n.startsWith('graphql') });
    const failed = await post(AM, ALERT);
    expect(failed.status).toBe(503);
    expect(failed.headers['retry-after']).toMatch(/^\d+$/);
    expect(prs()).toHaveLength(0);
    double.setFaults(undefined);
    const retried = await post(AM, ALERT);
    expect(retried.status).toBe(200);
    expect(prs()).toHaveLength(1);
  });

  it('passes on the retry-after GitHub gave (a secondary rate limit), bounded to 300 s', async () => {
    const limited = { status: 403, retryAfter: 120 };
    double.setFaults({ probability: 1, kinds: [limited], match: (n) => n.startsWith('graphql') });
    const failed = await post(AM, ALERT);
    expect([failed.status, failed.headers['retry-after'], failed.json?.retryAfter]).toEqual([
      503,
      '120',
      120,
    ]);
    double.setFaults({ probability: 1, kinds: [{ status: 429, retryAfter: 86_400 }] });
    const capped = await post(AM, ALERT);
    expect([capped.status, capped.headers['retry-after']]).toEqual([503, '300']);
    expect(prs()).toHaveLength(0);
  });
  it("a secondary rate limit on the app's own lookup (GET /app) is a 503 with GitHub's wait, not a 500", async () => {
    double.setFaults({
      probability: 1,
      kinds: [{ status: 403, retryAfter: 45 }],
      match: (n) => n === 'GET /app',
    });
    const failed = await post(AM, ALERT);
    expect([failed.status, failed.headers['retry-after'], failed.json?.error]).toEqual([
      503,
      '45',
      'github_unavailable',
    ]);
    double.setFaults(undefined);
    const retried = await post(AM, ALERT);
    expect(retried.status).toBe(200);
    expect(prs()).toHaveLength(1);
  });
});

describe('operations', () => {
  it('serves /healthz and /metrics, and writes one audit line per decision with no secret in any log', async () => {
    await post(AM, ALERT);
    await post(
      `${AM}?token=${TOKEN}`,
      JSON.stringify(signer.sign(freshSns('notification-alarm-s3-bucket-size.json'))),
      {
        'content-type': 'text/plain',
      },
    );
    await post(AM, UNRELATED, hmacHeaders(UNRELATED));
    const health = await fetch(`${bot.url}/healthz`);
    const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
    expect(await health.json()).toEqual({ ok: true, version });
    const metrics = await (await fetch(`${bot.url}/metrics`)).text();
    expect(metrics).toMatch(/failover_alerts_received_total\{source="alertmanager",code="200"\} 2/);
    expect(metrics).toMatch(/failover_decisions_total\{action="merge",reason="policy"\} 1/);
    expect(metrics).toMatch(/failover_prs_opened_total\{kind="auto"\} 1/);
    expect(metrics).toMatch(
      /failover_github_call_seconds_count\{route="graphql FailoverSnapshot",code="200"\}/,
    );
    expect(metrics).toMatch(
      /failover_github_call_seconds_count\{route="graphql FailoverOpenPr",code="200"\}/,
    );
    expect(metrics).not.toMatch(/route="graphql",/);
    expect(metrics).toMatch(/failover_alert_processing_seconds_count\{source="sns"\} 1/);
    expect(metrics).toContain(
      `failover_build_info{version="${version}",nodejs_version="${process.versions.node}"} 1`,
    );

    const audit = bot.logs
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.event === 'decision');
    expect(audit).toEqual([
      expect.objectContaining({
        repo: 'acme/infra',
        service: 'checkout',
        action: 'merge',
        from: 'us-east-1',
        to: 'us-west-2',
        pr: 1,
      }),
    ]);
    const all = bot.logs.join('\n');
    expect(all).toContain('/failover/v1/alerts/acme/infra');
    for (const secret of [TOKEN, HMAC_SECRET, 'ghs_double_installation_token'])
      expect(all).not.toContain(secret);
    expect(all).not.toMatch(/sha256=[0-9a-f]{64}/);
  });
});
