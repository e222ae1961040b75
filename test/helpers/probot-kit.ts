// The Probot parts every test bot shares (bot-harness, bot-receive, bot-replicas-child): a throwaway App
// key, an Octokit whose own retry and throttling are off (the port retries, and a throttled test would
// wait on GitHub's real rate-limit clocks), and our redacting JSON logger writing to a sink the test owns.
// No vitest imports here: bot-replicas-child.ts is bundled with esbuild and runs outside the test runner.
import { generateKeyPairSync } from 'node:crypto';
import { Writable } from 'node:stream';
import { Probot, ProbotOctokit, Server } from 'probot';
import { createFailoverApp, type FailoverBotOptions } from '../../bot/index.js';
import { createBotLogger } from '../../bot/logging.js';
import { createBotMetrics } from '../../bot/metrics.js';
import { botSecrets } from '../../bot/settings.js';
import type { WorldReader } from '../../src/core/world.js';
import { createLiveWorldReader } from '../../src/world/index.js';
import { captureOutgoing } from './leak-guard.js';
import { freePort } from './ports.js';

let cachedKey: string | undefined;

/** The webhook secret of every test bot: deliveries over HTTP are signed with it (webhook-delivery.ts). */
export const TEST_WEBHOOK_SECRET = 'test-webhook-secret-5c1e';

/** A PEM RSA key for the App's JWTs; the double never checks the signature. Generated once per process. */
export function throwawayPrivateKey(): string {
  cachedKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
    type: 'pkcs1',
    format: 'pem',
  }) as string;
  return cachedKey;
}

/** A sink that hands each complete, non-empty log line to `onLine`. */
export function lineSink(onLine: (line: string) => void): Writable {
  return new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split('\n')) {
        if (!line) continue;
        captureOutgoing('log', line);
        onLine(line);
      }
      cb();
    },
  });
}

export type ProbotOptions = ConstructorParameters<typeof Probot>[0] & {
  log: Awaited<ReturnType<typeof createBotLogger>>;
};

/** Options for `new Probot(...)` / `Probot.defaults(...)` pointed at `baseUrl`, logging to `destination`. */
export async function testProbotOptions(
  baseUrl: string,
  destination: Writable,
  env: Record<string, string | undefined> = {},
): Promise<ProbotOptions> {
  const log = await createBotLogger({
    level: 'info',
    logFormat: 'json',
    destination,
    secrets: botSecrets(env),
  });
  const Octokit = ProbotOctokit.defaults((o: Record<string, unknown>) => ({
    ...o,
    retry: { enabled: false },
    throttle: { ...(o.throttle as object | undefined), enabled: false },
  }));
  return { appId: 1, privateKey: throwawayPrivateKey(), baseUrl, Octokit, log, secret: TEST_WEBHOOK_SECRET };
}

/** The marker key every test bot signs with unless a test sets its own (tests sign markers with it too). */
export const TEST_MARKER_KEY = 'test-marker-key-0123456789abcdef0123456789abcdef';

/**
 * The world the test bots see unless a test brings its own: the repo's alert source of record read for
 * real (over HTTP, as configured), and no live health, because the example repos' preflight checks name
 * fictional hosts (`https://{target}.checkout.example.com`). The health reader itself is tested against
 * real servers in test/integration/world-health.test.ts.
 */
export function fictionalHostsWorld(env: Record<string, string | undefined> = {}): WorldReader {
  const live = createLiveWorldReader({ env });
  return {
    firingAlerts: (owner, repo, config) => live.firingAlerts(owner, repo, config),
    targetHealth: async () => ({ status: 'not-configured' }),
  };
}

/**
 * Our composition root with a fresh metrics registry per bot, without Node's process collectors, and
 * the test marker key unless the environment names one (a test of a missing key passes `''`).
 */
export function testFailoverApp(options: FailoverBotOptions) {
  const env = { FAILOVER_MARKER_KEY: TEST_MARKER_KEY, ...(options.env ?? {}) };
  return createFailoverApp({ metrics: createBotMetrics(), world: fictionalHostsWorld(env), ...options, env });
}

/** Probot's own HTTP Server on 127.0.0.1 (a free port) running our app, as bot/server.ts builds it. */
export async function startProbotServer(opts: {
  baseUrl: string;
  destination: Writable;
  bot: FailoverBotOptions;
}): Promise<{ server: Server; url: string }> {
  const options = await testProbotOptions(opts.baseUrl, opts.destination, {
    FAILOVER_MARKER_KEY: TEST_MARKER_KEY,
    ...opts.bot.env,
  });
  const port = await freePort();
  const server = new Server({ host: '127.0.0.1', port, log: options.log, Probot: Probot.defaults(options) });
  await server.load(testFailoverApp(opts.bot) as Parameters<Server['load']>[0]);
  await server.start();
  return { server, url: `http://127.0.0.1:${port}` };
}
