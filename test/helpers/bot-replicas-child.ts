// Child-process entry for `startBotReplicas` (bot-replicas.ts): N bot instances (Probot's Server with our
// composition root and redacting logger, as bot/server.ts builds it) in ONE process, pointed at a GitHub
// double that lives elsewhere. Running them here keeps the load generator and the double out of the
// memory figure. Settings arrive as JSON in argv[2]; the URLs leave as one JSON line on stdout; SIGTERM
// stops the servers (in-flight answers finish) and exits.
import { generateKeyPairSync } from 'node:crypto';
import { Writable } from 'node:stream';
import { Probot, ProbotOctokit, Server } from 'probot';
import { createFailoverApp } from '../../bot/index.js';
import { createBotLogger } from '../../bot/logging.js';
import { createBotMetrics } from '../../bot/metrics.js';
import { createGitHubPort } from '../../src/github/index.js';
import { freePort } from './ports.js';

export interface ReplicaSettings {
  githubUrl: string;
  count: number;
  env: Record<string, string>;
  /** The port's retry (default: the bot's own, BOT_PORT_RETRY in bot/index.ts). */
  retry?: { retries: number; baseMs: number };
  /** Divides every port sleep (backoff, retry-after) by this (1 = real time). */
  sleepDivisor?: number;
}

const settings = JSON.parse(process.argv[2] ?? '{}') as ReplicaSettings;
const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
  type: 'pkcs1',
  format: 'pem',
}) as string;
// Production writes one JSON line per request to stdout; here they are counted and dropped, so the
// figure is the bot's memory, not a growing array of log lines.
let logLines = 0;
const sink = new Writable({
  write(chunk, _enc, cb) {
    logLines += String(chunk).split('\n').length - 1;
    cb();
  },
});
const divisor = settings.sleepDivisor ?? 1;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms / divisor));

const servers: Server[] = [];
const urls: string[] = [];
for (let i = 0; i < settings.count; i++) {
  const log = await createBotLogger({ level: 'info', logFormat: 'json', destination: sink });
  const Octokit = ProbotOctokit.defaults((o: Record<string, unknown>) => ({
    ...o,
    retry: { enabled: false },
    throttle: { ...(o.throttle as object | undefined), enabled: false },
  }));
  const port = await freePort();
  const server = new Server({
    host: '127.0.0.1',
    port,
    log,
    Probot: Probot.defaults({ appId: 1, privateKey, baseUrl: settings.githubUrl, Octokit, log }),
  });
  await server.load(
    createFailoverApp({
      env: settings.env,
      metrics: createBotMetrics(),
      portFactory: (client, owner, repo) =>
        createGitHubPort({
          client,
          owner,
          repo,
          sleep,
          ...(settings.retry ? { retry: settings.retry } : {}),
        }),
    }) as Parameters<Server['load']>[0],
  );
  await server.start();
  servers.push(server);
  urls.push(`http://127.0.0.1:${port}`);
}
process.stdout.write(`${JSON.stringify({ ready: true, urls })}\n`);

process.once('SIGTERM', () => {
  Promise.all(servers.map((s) => s.stop())).then(
    () => {
      process.stdout.write(`${JSON.stringify({ stopped: true, logLines })}\n`);
      process.exit(0);
    },
    () => process.exit(1),
  );
});
