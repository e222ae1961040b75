// The network and intake half of the attack table (issue 8): what an outsider, or a neighbouring sender
// with a captured request, can send to the alert endpoint of the real bot (Probot's own server, our app)
// in front of the in-memory GitHub. Every row asserts the answer AND that GitHub saw no change; the
// secret guard (test/helpers/setup.ts) fails any row whose logs or GitHub bodies hold a secret.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGitHubPort } from '../../src/github/index.js';
import { type BotHarness, startBot } from '../helpers/bot-harness.js';
import { type RawAnswer, rawPost, headersOnly as sendHeadersOnly } from '../helpers/bot-requests.js';
import { infraRepoFiles } from '../helpers/github-double/fixtures.js';
import { type GitHubDouble, startGitHubDouble } from '../helpers/github-double/index.js';
import { freePort } from '../helpers/ports.js';
import { createSnsSigner, type SnsSigner } from '../helpers/sns-signer.js';

const TOKEN = 'tok-attack-table-5e2b9f';
const HMAC_SECRET = 'hmac-attack-table-0c7d1a';
const GRAFANA_SECRET = 'grafana-infra-secret-81f3';
const GRAFANA_OTHER_SECRET = 'grafana-other-secret-c4d2';
const PD_SECRET = 'pagerduty-infra-secret-3a9e';
const TOPIC = 'arn:aws:sns:eu-west-1:1234567890:failover-alarms';
const BUDGET = 256 * 1024;

const ALERT = readFileSync('examples/alerts/alertmanager-region-down.json', 'utf8');
const UNRELATED = readFileSync('test/fixtures/alertmanager/firing-single-fire-critical.json', 'utf8');
const GRAFANA = readFileSync('test/fixtures/grafana/firing-2-alerts-docs-example.json', 'utf8');
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

const INFRA = '/failover/v1/alerts/acme/infra';
const OTHER = '/failover/v1/alerts/acme/other';

let double: GitHubDouble;
let bot: BotHarness;
let signer: SnsSigner;

beforeAll(async () => {
  signer = createSnsSigner();
  double = await startGitHubDouble();
  double.state.seed('acme', 'infra', infraRepoFiles());
  double.state.seed('acme', 'other', infraRepoFiles());
  bot = await startBot({
    githubUrl: double.url,
    env: {
      FAILOVER_ALERT_TOKENS: TOKEN,
      FAILOVER_ALERT_HMAC_SECRET: HMAC_SECRET,
      FAILOVER_SNS_TOPICS: TOPIC,
      FAILOVER_GRAFANA_HMAC_SECRETS: `acme/infra=${GRAFANA_SECRET},acme/other=${GRAFANA_OTHER_SECRET}`,
      FAILOVER_PAGERDUTY_SECRETS: `acme/infra=${PD_SECRET}`,
      FAILOVER_MAX_BODY_BYTES_IN_FLIGHT: String(BUDGET),
    },
    app: {
      // The status issue is written up to a minute later, off the answer's path: that deferred write would
      // land inside a later case, and every case here asserts that GitHub saw no change of its own.
      statusIssues: false,
      fetchText: async (url) => {
        if (url.endsWith('.pem')) return signer.certPem;
        throw new Error(`no visits expected in the attack table: ${url}`);
      },
      portFactory: (client, owner, repo) =>
        createGitHubPort({ client, owner, repo, retry: { retries: 0, baseMs: 1 }, sleep: async () => {} }),
    },
  });
});

afterAll(async () => {
  await bot.close();
  await double.close();
});

/** What GitHub holds for the two repos: pull requests, refs and comments. */
function repoState() {
  return ['infra', 'other'].map((name) => {
    const r = double.state.repo('acme', name);
    return { name, pulls: r?.pulls.size, refs: [...(r?.refs.keys() ?? [])], comments: r?.comments.size };
  });
}

let callsBefore = 0;
let stateBefore: ReturnType<typeof repoState> = [];
/**
 * A case that lets a failover through is answered before its PR is labelled (labels are background work),
 * so the next case waits until every PR carries its labels before it takes its baseline.
 */
async function backgroundSettled(): Promise<void> {
  const deadline = Date.now() + 20_000;
  const unlabelled = () =>
    ['infra', 'other'].some((name) =>
      [...(double.state.repo('acme', name)?.pulls.values() ?? [])].some((p) => p.labels.length === 0),
    );
  while (unlabelled() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}

beforeEach(async () => {
  await backgroundSettled();
  callsBefore = double.calls.length;
  stateBefore = repoState();
});

/** GitHub calls that only read (or mint the installation token). Anything else is a change. */
const READS = new Set([
  'graphql FailoverSnapshot',
  'graphql FailoverStateFiles',
  'POST /app/installations/:n/access_tokens',
]);
function expectGitHubUnchanged(): void {
  const changes = double.calls
    .slice(callsBefore)
    .filter((c) => c.method !== 'GET' && !READS.has(c.name))
    .map((c) => c.name);
  expect(changes).toEqual([]);
  expect(repoState()).toEqual(stateBefore);
}

const json = { 'content-type': 'application/json' };
const bearer = (token = TOKEN) => ({ ...json, authorization: `Bearer ${token}` });
const post = (path: string, body: string | Buffer, headers: Record<string, string> = bearer()) =>
  rawPost(bot.url, path, body, headers);
const nowS = () => Math.floor(Date.now() / 1000);

function hmac(body: string, target = INFRA, o: { ts?: number; secret?: string; method?: string } = {}) {
  const ts = o.ts ?? nowS();
  const signed = `${ts}\n${o.method ?? 'POST'}\n${target}\n${body}`;
  return {
    ...json,
    'x-failover-timestamp': String(ts),
    'x-failover-signature-256': `sha256=${createHmac('sha256', o.secret ?? HMAC_SECRET)
      .update(signed)
      .digest('hex')}`,
  };
}

function grafana(body: string, o: { ts?: number | null; secret?: string } = {}) {
  const ts = o.ts === undefined ? nowS() : o.ts;
  const key = o.secret ?? GRAFANA_SECRET;
  const signed = ts === null ? body : `${ts}:${body}`;
  return {
    ...json,
    'x-grafana-alerting-signature': createHmac('sha256', key).update(signed).digest('hex'),
    ...(ts === null ? {} : { 'x-grafana-alerting-signature-timestamp': String(ts) }),
  };
}

function pagerDutyBody(o: { id?: string; occurredAt?: string } = {}): string {
  const body = readJson('test/fixtures/other-alerts/pagerduty-v3-incident-triggered.json') as {
    event: Record<string, unknown>;
  };
  body.event.id = o.id ?? `evt-${Math.random().toString(36).slice(2)}`;
  body.event.occurred_at = o.occurredAt ?? new Date().toISOString();
  return JSON.stringify(body);
}
const pdSign = (body: string, secret = PD_SECRET) =>
  `v1=${createHmac('sha256', secret).update(body).digest('hex')}`;
const pagerDuty = (body: string, signature = pdSign(body)) => ({
  ...json,
  'x-pagerduty-signature': signature,
});

/** A CloudWatch alarm Notification from `topic`, signed as SNS signs, sent `ageMs` ago. */
function snsNotification(
  o: { topic?: string; ageMs?: number; messageId?: string; extra?: Record<string, unknown> } = {},
) {
  const envelope = {
    ...readJson('test/fixtures/sns-cloudwatch/notification-alarm-s3-bucket-size.json'),
    TopicArn: o.topic ?? TOPIC,
    Timestamp: new Date(Date.now() - (o.ageMs ?? 0)).toISOString(),
    ...(o.messageId ? { MessageId: o.messageId } : {}),
  };
  return { ...signer.sign(envelope), ...o.extra };
}
const snsPost = (envelope: unknown, path = `${INFRA}?token=${TOKEN}`) =>
  post(path, JSON.stringify(envelope), { 'content-type': 'text/plain; charset=UTF-8' });

/** Labels and status beside the signed fields: what made a RegionDown failover out of an S3 alarm. */
const REGION_DOWN_BESIDE = {
  status: 'firing',
  labels: { alertname: 'RegionDown', region: 'us-east-1', service: 'checkout', severity: 'critical' },
  alerts: JSON.parse(ALERT).alerts,
};

interface Row {
  name: string;
  send: () => Promise<RawAnswer | { status: number; text: string }>;
  status: number;
  message: RegExp;
}

const headersOnly = (path: string, headers: Record<string, string>) =>
  sendHeadersOnly(bot.url, path, headers);

const messageOf = (res: RawAnswer | { status: number; text: string }): string => {
  if ('json' in res && res.json) return String(res.json.message ?? JSON.stringify(res.json));
  return res.text;
};

const rows: Row[] = [
  // SNS: only allow-listed topics, only recent messages, only the signed fields.
  {
    name: 'SNS: validly signed Notification from a topic the attacker owns',
    send: () => snsPost(snsNotification({ topic: 'arn:aws:sns:eu-west-1:666666666666:attacker' })),
    status: 403,
    message: /topic arn:aws:sns:eu-west-1:666666666666:attacker is not allow-listed/,
  },
  {
    name: 'SNS: a years-old signed Notification (captured and replayed)',
    send: () => snsPost(snsNotification({ ageMs: 3 * 365 * 24 * 3600_000 })),
    status: 403,
    message: /SNS Timestamp is outside the 60-minute window/,
  },
  {
    name: 'SNS: a Notification 61 minutes old',
    send: () => snsPost(snsNotification({ ageMs: 61 * 60_000 })),
    status: 403,
    message: /outside the 60-minute window/,
  },
  {
    name: 'SNS: a Notification dated in the future',
    send: () => snsPost(snsNotification({ ageMs: -2 * 3600_000 })),
    status: 403,
    message: /outside the 60-minute window/,
  },
  {
    name: 'SNS: unsigned status/labels/alerts beside the signed fields are not the alert',
    send: () => snsPost(snsNotification({ extra: REGION_DOWN_BESIDE })),
    status: 200,
    message: /not a CloudWatch alarm|decisions|bucketbytes/i,
  },
  {
    name: 'SNS: ?source=generic cannot re-read a signed envelope as a generic alert',
    send: () =>
      snsPost(snsNotification({ extra: REGION_DOWN_BESIDE }), `${INFRA}?source=generic&token=${TOKEN}`),
    status: 400,
    message: /read as sns .* \?source=generic does not apply/,
  },
  {
    name: 'SNS: ?source=alertmanager with a bearer token cannot either',
    send: () =>
      post(`${INFRA}?source=alertmanager`, JSON.stringify(snsNotification({ extra: REGION_DOWN_BESIDE }))),
    status: 400,
    message: /\?source=alertmanager does not apply/,
  },
  {
    name: 'SNS: an unsigned envelope sent with a bearer token is still verified',
    send: () =>
      post(
        INFRA,
        JSON.stringify({
          Type: 'Notification',
          TopicArn: TOPIC,
          MessageId: 'x',
          Message: '{}',
          ...REGION_DOWN_BESIDE,
        }),
      ),
    status: 400,
    message: /SNS message has no (Timestamp|SignatureVersion|Signature)/,
  },
  {
    name: 'SNS: a duplicated "Message" key (JSON keeps the last, the signature covers the first)',
    send: () => {
      const env = snsNotification();
      const text = JSON.stringify(env).replace(
        /}$/,
        `,"Message":${JSON.stringify(JSON.stringify({ AlarmName: 'RegionDown', NewStateValue: 'ALARM' }))}}`,
      );
      return post(`${INFRA}?token=${TOKEN}`, text, { 'content-type': 'text/plain' });
    },
    status: 403,
    message: /does not verify/,
  },
  {
    name: 'SNS: an unknown SignatureVersion',
    send: () => snsPost({ ...snsNotification(), SignatureVersion: '3' }),
    status: 403,
    message: /unsupported SNS SignatureVersion 3/,
  },
  {
    name: 'SNS: certificate over plain http',
    send: () => snsPost({ ...snsNotification(), SigningCertURL: 'http://sns.eu-west-1.amazonaws.com/c.pem' }),
    status: 403,
    message: /certificate URL must be https/,
  },
  // HMAC: bound to method, path and query; native signatures bound to a repository's own secret.
  {
    name: 'HMAC: a capture for acme/infra replayed to acme/other',
    send: () => post(OTHER, ALERT, hmac(ALERT, INFRA)),
    status: 403,
    message: /wrong signature/,
  },
  {
    name: 'HMAC: a capture replayed with ?source=generic appended',
    send: () => post(`${INFRA}?source=generic`, ALERT, hmac(ALERT, INFRA)),
    status: 403,
    message: /wrong signature/,
  },
  {
    name: 'HMAC: the old timestamp.body scheme (covers no path)',
    send: () => {
      const ts = nowS();
      const sig = createHmac('sha256', HMAC_SECRET).update(`${ts}.${ALERT}`).digest('hex');
      return post(INFRA, ALERT, {
        ...json,
        'x-failover-timestamp': String(ts),
        'x-failover-signature-256': `sha256=${sig}`,
      });
    },
    status: 403,
    message: /wrong signature/,
  },
  {
    name: 'HMAC: timestamp ten minutes ahead',
    send: () => post(INFRA, ALERT, hmac(ALERT, INFRA, { ts: nowS() + 600 })),
    status: 401,
    message: /stale timestamp/,
  },
  {
    name: 'HMAC: signed as PUT, sent as POST',
    send: () => post(INFRA, ALERT, hmac(ALERT, INFRA, { method: 'PUT' })),
    status: 403,
    message: /wrong signature/,
  },
  {
    name: 'Grafana: signature without a timestamp (replayable forever)',
    send: () => post(INFRA, GRAFANA, grafana(GRAFANA, { ts: null })),
    status: 401,
    message: /needs a timestamp/,
  },
  {
    name: "Grafana: acme/other's secret used on acme/infra",
    send: () => post(INFRA, GRAFANA, grafana(GRAFANA, { secret: GRAFANA_OTHER_SECRET })),
    status: 403,
    message: /wrong signature/,
  },
  {
    name: 'Grafana: a capture for acme/infra replayed to acme/other',
    send: () => post(OTHER, GRAFANA, grafana(GRAFANA)),
    status: 403,
    message: /wrong signature/,
  },
  {
    name: 'Grafana: stale timestamp',
    send: () => post(INFRA, GRAFANA, grafana(GRAFANA, { ts: nowS() - 3600 })),
    status: 401,
    message: /stale timestamp/,
  },
  {
    name: 'Grafana: a Grafana signature cannot pass an Alertmanager body off via ?source=',
    send: () => post(`${INFRA}?source=alertmanager`, ALERT, grafana(ALERT)),
    status: 400,
    message: /read as grafana/,
  },
  {
    name: 'PagerDuty: signature made with another secret',
    send: () => {
      const body = pagerDutyBody();
      return post(INFRA, body, pagerDuty(body, pdSign(body, 'not-the-secret')));
    },
    status: 403,
    message: /wrong signature/,
  },
  {
    name: 'PagerDuty: no secret configured for the repository',
    send: () => {
      const body = pagerDutyBody();
      return post(OTHER, body, pagerDuty(body));
    },
    status: 403,
    message: /no PagerDuty webhook secret is configured for acme\/other/,
  },
  {
    name: 'PagerDuty: a malformed signature header',
    send: () => {
      const body = pagerDutyBody();
      return post(INFRA, body, pagerDuty(body, pdSign(body).replace('v1=', 'v0=')));
    },
    status: 401,
    message: /v1=<64 hex>/,
  },
  {
    name: 'PagerDuty: a validly signed event from two hours ago',
    send: () => {
      const body = pagerDutyBody({ occurredAt: new Date(Date.now() - 2 * 3600_000).toISOString() });
      return post(INFRA, body, pagerDuty(body));
    },
    status: 403,
    message: /event.occurred_at is outside the 60-minute window/,
  },
  // Before the body: tokens are compared first, bodies in flight are bounded.
  {
    name: 'wrong bearer with a declared 100 MiB body that never comes: refused at once',
    send: () => headersOnly(INFRA, { ...bearer('tok-guess'), 'content-length': String(100 * 1024 * 1024) }),
    status: 403,
    message: /wrong token/,
  },
  {
    name: 'wrong ?token= with a declared body that never comes: refused at once',
    send: () =>
      headersOnly(`${INFRA}?token=guess`, { 'content-type': 'text/plain', 'content-length': '900000' }),
    status: 403,
    message: /wrong token/,
  },
  {
    name: 'no credentials with a declared body that never comes: refused at once',
    send: () => headersOnly(INFRA, { ...json, 'content-length': '900000' }),
    status: 401,
    message: /missing credentials/,
  },
  {
    name: 'a body larger than the bytes allowed in flight: 503, retry later',
    send: () => post(INFRA, Buffer.alloc(BUDGET + 1024, 0x20)),
    status: 503,
    message: /too many notification bodies in flight/,
  },
  // The query: one spelling of the credential key, each key once.
  {
    name: 'query key spelled ?to%6Ben=',
    send: () => snsPost(snsNotification(), `${INFRA}?to%6Ben=${TOKEN}`),
    status: 400,
    message: /spelled exactly "token"/,
  },
  {
    name: 'query key spelled ?TOKEN=',
    send: () => snsPost(snsNotification(), `${INFRA}?TOKEN=${TOKEN}`),
    status: 400,
    message: /spelled exactly "token"/,
  },
  {
    name: 'query token sent twice',
    send: () => snsPost(snsNotification(), `${INFRA}?token=guess&token=${TOKEN}`),
    status: 400,
    message: /send \?token= once/,
  },
  {
    name: '?source= sent twice',
    send: () => post(`${INFRA}?source=grafana&source=alertmanager`, ALERT),
    status: 400,
    message: /send \?source= once/,
  },
  {
    name: 'a forwarded Authorization header with the real token, and a wrong bearer',
    send: () =>
      post(INFRA, ALERT, { ...bearer('tok-guess'), 'x-forwarded-authorization': `Bearer ${TOKEN}` }),
    status: 403,
    message: /wrong token/,
  },
  {
    name: 'a mistyped path carrying ?token= (Probot answers 404 and logs the request)',
    send: () => post(`/failover/v1/alert/acme/infra?token=${TOKEN}`, ALERT, json),
    status: 404,
    message: /^$|not found/i,
  },
  {
    name: 'an Authorization header holding two words after Bearer',
    send: () => post(INFRA, ALERT, { ...json, authorization: `Bearer ${TOKEN} extra` }),
    status: 401,
    message: /Bearer <token>/,
  },
];

describe('attack table: intake (answer + GitHub unchanged)', () => {
  it.each(rows)('$name → $status', async ({ send, status, message }) => {
    const res = await send();
    expect(res.status).toBe(status);
    expect(messageOf(res)).toMatch(message);
    expectGitHubUnchanged();
  });

  it('SNS: the same MessageId a second time is not handled again', async () => {
    const envelope = snsNotification({ messageId: `dup-${Date.now()}` });
    const first = await snsPost(envelope);
    expect(first.status).toBe(200);
    expect(first.json?.reasons).not.toEqual([expect.stringMatching(/replayed/)]);
    const again = await snsPost(envelope);
    expect([again.status, again.json?.reasons]).toEqual([
      200,
      [`replayed: SNS message ${envelope.MessageId} was already handled`],
    ]);
    expectGitHubUnchanged();
  });

  it('HMAC: the same signed request a second time is refused once the first was answered 2xx', async () => {
    const headers = hmac(UNRELATED);
    expect((await post(INFRA, UNRELATED, headers)).status).toBe(200);
    const again = await post(INFRA, UNRELATED, headers);
    expect([again.status, again.json?.message]).toEqual([401, 'replayed: this signature was already used']);
    expectGitHubUnchanged();
  });

  it('PagerDuty: the same event id a second time is refused', async () => {
    const body = pagerDutyBody();
    expect((await post(INFRA, body, pagerDuty(body))).status).toBe(200);
    const again = await post(INFRA, body, pagerDuty(body));
    expect([again.status, again.json?.message]).toEqual([
      401,
      'replayed: this PagerDuty event was already handled',
    ]);
    expectGitHubUnchanged();
  });

  it('no log line holds the token, however the request spelled or forwarded it', async () => {
    await post(`/failover/v1/alert/acme/infra?token=${TOKEN}`, ALERT, json);
    await snsPost(snsNotification(), `${INFRA}?to%6Ben=${TOKEN}`);
    await post(INFRA, ALERT, { ...bearer('tok-guess'), 'x-forwarded-authorization': `Bearer ${TOKEN}` });
    const logs = bot.logs.join('\n');
    expect(logs).toContain('/failover/v1/alert/acme/infra');
    for (const spelling of [TOKEN, encodeURIComponent(TOKEN)]) expect(logs).not.toContain(spelling);
    expectGitHubUnchanged();
  });
});

describe('what the guards must still let through', () => {
  it('a sender retrying the same HMAC-signed request after a 503 is answered normally', async () => {
    const headers = hmac(ALERT, OTHER);
    double.setFaults({ probability: 1, kinds: [{ status: 502 }], match: (n) => n.startsWith('graphql') });
    const failed = await post(OTHER, ALERT, headers);
    expect(failed.status).toBe(503);
    double.setFaults(undefined);
    const retried = await post(OTHER, ALERT, headers);
    expect(retried.status).toBe(200);
    expect(retried.json?.decisions).toEqual([
      expect.objectContaining({ service: 'checkout', action: 'merge', pr: 1 }),
    ]);
    // Now it is spent.
    expect((await post(OTHER, ALERT, headers)).status).toBe(401);
  });

  it('a harmless alert sent first under the fingerprint of a real one does not swallow it', async () => {
    const real = JSON.parse(ALERT) as { alerts: { fingerprint: string }[] };
    const decoy = JSON.parse(UNRELATED) as { alerts: { fingerprint?: string }[] };
    for (const a of decoy.alerts) a.fingerprint = real.alerts[0]?.fingerprint;
    const first = await post(INFRA, JSON.stringify(decoy));
    expect([first.status, first.json?.decisions]).toEqual([200, []]);
    const second = await post(INFRA, ALERT);
    expect(second.json?.decisions).toEqual([
      expect.objectContaining({ service: 'checkout', action: 'merge' }),
    ]);
    expect(double.state.repo('acme', 'infra')?.pulls.size).toBe(1);
  });
});

describe('surface', () => {
  it('with METRICS_PORT, /metrics is served only on its own port, not beside the alert endpoint', async () => {
    const metricsPort = await freePort();
    let metricsServer: Server | undefined;
    const separate = await startBot({
      githubUrl: double.url,
      env: { FAILOVER_ALERT_TOKENS: TOKEN, METRICS_PORT: String(metricsPort), METRICS_HOST: '127.0.0.1' },
      app: {
        onMetricsServer: (server) => {
          metricsServer = server;
        },
      },
    });
    try {
      const publicMetrics = await fetch(`${separate.url}/metrics`);
      expect(publicMetrics.status).toBe(404);
      const health = await fetch(`${separate.url}/healthz`);
      expect(health.status).toBe(200);
      const own = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(own.status).toBe(200);
      expect(await own.text()).toContain('failover_alerts_received_total');
      const other = await fetch(`http://127.0.0.1:${metricsPort}${INFRA}`, {
        method: 'POST',
        headers: bearer(),
        body: ALERT,
      });
      expect(other.status).toBe(404);
    } finally {
      await separate.close();
      await new Promise((resolve) => metricsServer?.close(resolve));
    }
    expectGitHubUnchanged();
  });
});
