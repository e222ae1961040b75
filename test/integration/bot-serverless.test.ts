// The serverless entry (bot/serverless.ts): one (req, res) handler built with Probot's
// createNodeMiddleware serves GitHub webhooks (signature checked), the alert route, /healthz and
// /metrics, as a platform would call it; and the alert route still reads a body the platform read first
// (Google Cloud Functions' req.rawBody, a Lambda adapter's string req.body).
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFailoverHandler, type FailoverHandler } from '../../bot/serverless.js';
import { commentPayload, infraFiles, plainPull } from '../helpers/bot-receive.js';
import { rawPost } from '../helpers/bot-requests.js';
import { infraRepoFiles } from '../helpers/github-double/fixtures.js';
import { type GitHubDouble, type RepoState, startGitHubDouble } from '../helpers/github-double/index.js';
import { TEST_MARKER_KEY, throwawayPrivateKey } from '../helpers/probot-kit.js';

const TOKEN = 'tok-serverless-51c2';
const WEBHOOK_SECRET = 'webhook-secret-0a9e';
const ALERT = readFileSync('examples/alerts/alertmanager-region-down.json', 'utf8');
const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

let double: GitHubDouble;
let infra: RepoState;
let chat: RepoState;
let handler: FailoverHandler;
let server: Server;
let url: string;
/** How the platform hands the request over: as a stream, or with the body already read. */
let platform: 'stream' | 'gcf' | 'lambda' = 'stream';

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

beforeEach(async () => {
  platform = 'stream';
  double = await startGitHubDouble();
  infra = double.state.seed('acme', 'infra', infraRepoFiles());
  chat = double.state.seed('acme', 'chat', infraFiles());
  chat.collaborators.set('alice', 'write');
  handler = await createFailoverHandler({
    env: {
      APP_ID: '1',
      PRIVATE_KEY: throwawayPrivateKey(),
      WEBHOOK_SECRET,
      FAILOVER_ALERT_TOKENS: TOKEN,
      FAILOVER_MARKER_KEY: TEST_MARKER_KEY,
      LOG_LEVEL: 'fatal', // the forged delivery below is logged as an error
      LOG_FORMAT: 'json',
    },
    probot: { baseUrl: double.url },
  });
  server = createServer(async (req, res) => {
    if (platform !== 'stream') {
      const raw = await readAll(req);
      if (platform === 'gcf')
        Object.assign(req, { rawBody: raw, body: raw.length ? JSON.parse(raw.toString()) : {} });
      else Object.assign(req, { body: raw.toString('utf8') });
    }
    await handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await double.close();
});

const postAlert = () =>
  rawPost(url, '/failover/v1/alerts/acme/infra', ALERT, {
    'content-type': 'application/json',
    authorization: `Bearer ${TOKEN}`,
  });

describe('serverless handler', () => {
  it('serves /healthz with the version, /metrics, and 404 for anything else', async () => {
    const health = await fetch(`${url}/healthz`);
    expect(await health.json()).toEqual({ ok: true, version });
    expect(await (await fetch(`${url}/metrics`)).text()).toContain(
      `failover_build_info{version="${version}"`,
    );
    const nothing = await fetch(`${url}/nope`);
    expect(nothing.status).toBe(404);
  });

  it.each(['stream', 'gcf', 'lambda'] as const)(
    'answers an alert (body as %s) and opens the failover PR',
    async (kind) => {
      platform = kind;
      const res = await postAlert();
      expect(res.status, res.text).toBe(200);
      expect(res.json?.decisions).toEqual([
        expect.objectContaining({ service: 'checkout', action: 'merge' }),
      ]);
      expect([...infra.pulls.values()].map((p) => p.title)).toEqual([
        'Failover checkout: us-east-1 → us-west-2',
      ]);
    },
  );

  it('receives GitHub webhooks at /api/github/webhooks, signature checked, and runs ChatOps', async () => {
    const pull = plainPull(double, chat);
    const payload = JSON.stringify(
      commentPayload(chat, { number: pull.number, body: '/failover help', login: 'alice' }),
    );
    const headers = (signature: string) => ({
      'content-type': 'application/json',
      'x-github-event': 'issue_comment',
      'x-github-delivery': 'd-1',
      'x-hub-signature-256': signature,
    });
    const forged = await rawPost(url, '/api/github/webhooks', payload, headers('sha256=00'));
    expect(forged.status).toBe(400);
    const sig = `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(payload).digest('hex')}`;
    const ok = await rawPost(url, '/api/github/webhooks', payload, headers(sig));
    expect(ok.status).toBe(200);
    const replies = [...chat.comments.values()].filter((c) => c.user.type === 'Bot');
    expect(replies).toHaveLength(1);
    expect(replies[0]?.body).toContain('/failover');
  });
});
