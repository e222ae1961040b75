// The first start without APP_ID, as `npm start` runs it: Probot's own setup flow, with the public URL
// from FAILOVER_PUBLIC_URL. The manifest it offers GitHub must register an App that works: webhooks to
// <public URL>/api/github/webhooks and exactly app.yml's permissions and events. GitHub's answer to the
// registration (the manifest conversion, mocked with nock) is written to .env with mode 600.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { pino } from 'pino';
import { run } from 'probot';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import app from '../../bot/index.js';
import { planSetup, readEnvFile, webhookUrlFor, writeEnvFile } from '../../bot/setup.js';
import { freePort } from '../helpers/ports.js';

const appYml = parse(readFileSync('app.yml', 'utf8')) as Record<string, unknown>;
let dir: string;
let savedEnv: NodeJS.ProcessEnv;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'failover-setup-'));
  savedEnv = { ...process.env };
  for (const key of [
    'APP_ID',
    'PRIVATE_KEY',
    'PRIVATE_KEY_PATH',
    'WEBHOOK_PROXY_URL',
    'WEBHOOK_SECRET',
    'GH_ORG',
  ]) {
    delete process.env[key];
  }
});
afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
  rmSync(dir, { recursive: true, force: true });
});

describe('webhookUrlFor', () => {
  it.each([
    ['https://bot.example.com', 'https://bot.example.com/api/github/webhooks'],
    ['https://bot.example.com/', 'https://bot.example.com/api/github/webhooks'],
    ['https://example.com/failover/', 'https://example.com/failover/api/github/webhooks'],
    [' https://abc.trycloudflare.com ', 'https://abc.trycloudflare.com/api/github/webhooks'],
  ])('%s → %s', (publicUrl, webhook) => {
    expect(webhookUrlFor(publicUrl)).toBe(webhook);
  });

  it.each(['bot.example.com', 'ftp://bot.example.com', 'https://bot.example.com/?x=1'])(
    'refuses %s',
    (bad) => {
      expect(() => webhookUrlFor(bad)).toThrow(/FAILOVER_PUBLIC_URL/);
    },
  );
});

describe('planSetup', () => {
  const envFile = () => join(dir, '.env');

  it('is not setup mode once the App exists (APP_ID in the environment or .env) or in production', async () => {
    expect(await planSetup({ APP_ID: '1' }, { envFile: envFile() })).toBeUndefined();
    expect(await planSetup({ NODE_ENV: 'production' }, { envFile: envFile() })).toBeUndefined();
    writeEnvFile(envFile(), { APP_ID: '7' }, {});
    expect(await planSetup({}, { envFile: envFile() })).toBeUndefined();
  });

  it('asks for the public URL when none is set, and explains how to give one when it cannot ask', async () => {
    const asked: string[] = [];
    const plan = await planSetup(
      {},
      {
        envFile: envFile(),
        ask: async (q) => {
          asked.push(q);
          return 'https://abc.trycloudflare.com';
        },
      },
    );
    expect(asked).toHaveLength(1);
    expect(plan?.webhookUrl).toBe('https://abc.trycloudflare.com/api/github/webhooks');
    await expect(planSetup({}, { envFile: envFile() })).rejects.toThrow(/set FAILOVER_PUBLIC_URL.*tunnel/);
  });

  it('keeps a smee.io channel for a trial', async () => {
    const plan = await planSetup({ WEBHOOK_PROXY_URL: 'https://smee.io/abc' }, { envFile: envFile() });
    expect(plan?.webhookUrl).toBe('https://smee.io/abc');
  });
});

describe('writeEnvFile', () => {
  it('merges into .env with mode 600, keeps a multi-line key readable, and sets the environment', () => {
    const file = join(dir, '.env');
    const env: Record<string, string | undefined> = {};
    writeEnvFile(file, { FAILOVER_PUBLIC_URL: 'https://bot.example.com' }, env);
    writeEnvFile(file, { APP_ID: '42', PRIVATE_KEY: '"-----BEGIN KEY-----\nabc\n-----END KEY-----\n"' }, env);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readEnvFile(file)).toEqual({
      FAILOVER_PUBLIC_URL: 'https://bot.example.com',
      APP_ID: '42',
      PRIVATE_KEY: '-----BEGIN KEY-----\nabc\n-----END KEY-----\n',
    });
    expect(env.APP_ID).toBe('42');
  });
});

describe("Probot's setup flow with the public URL", () => {
  it('offers GitHub a manifest with the webhook path and app.yml permissions, and writes the App to .env (600)', async () => {
    const port = await freePort();
    process.env.FAILOVER_PUBLIC_URL = 'https://failover-bot.example.com';
    process.env.PORT = String(port);
    process.env.HOST = '127.0.0.1';
    process.env.NO_SMEE_SETUP = 'true';
    const envFile = join(dir, '.env');
    const plan = await planSetup(process.env, { envFile });
    expect(plan).toBeDefined();
    const log = pino({ level: 'silent' }) as never; // Probot's Logger type is pino's
    const server = await run(app, { log, ...plan?.runOptions });
    try {
      const page = await (await fetch(`http://127.0.0.1:${port}/probot`)).text();
      const raw = /name="manifest" id="manifest" value='([^']*)'/.exec(page)?.[1];
      expect(raw, 'the setup page carries the manifest').toBeDefined();
      const manifest = JSON.parse(raw!) as Record<string, unknown>;
      expect(manifest.hook_attributes).toEqual({
        url: 'https://failover-bot.example.com/api/github/webhooks',
      });
      expect(manifest.default_permissions).toEqual(appYml.default_permissions);
      expect(manifest.default_events).toEqual(appYml.default_events);
      expect(manifest.name).toBe(appYml.name);
      expect(manifest.redirect_url).toBe(`http://127.0.0.1:${port}/probot/setup`);

      // GitHub redirects back with a code; Probot converts it into the App's credentials.
      const pem = '-----BEGIN RSA PRIVATE KEY-----\nMIIthrowaway\n-----END RSA PRIVATE KEY-----\n';
      const scope = nock('https://api.github.com').post('/app-manifests/c0de/conversions').reply(201, {
        id: 4242,
        client_id: 'Iv1.abc',
        client_secret: 'client-secret',
        webhook_secret: 'hook-secret',
        pem,
        html_url: 'https://github.com/apps/gitops-failover',
      });
      const done = await fetch(`http://127.0.0.1:${port}/probot/setup?code=c0de`, { redirect: 'manual' });
      expect(done.status).toBe(302);
      expect(done.headers.get('location')).toBe('https://github.com/apps/gitops-failover/installations/new');
      scope.done();
      expect(statSync(envFile).mode & 0o777).toBe(0o600);
      expect(readEnvFile(envFile)).toMatchObject({
        APP_ID: '4242',
        PRIVATE_KEY: pem,
        WEBHOOK_SECRET: 'hook-secret',
      });
    } finally {
      await server.stop();
    }
  });
});
