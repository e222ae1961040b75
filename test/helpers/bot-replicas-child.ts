// Child-process entry for `startBotReplicas` (bot-replicas.ts): N bot instances (Probot's Server with our
// composition root and redacting logger, as bot/server.ts builds it) in ONE process, pointed at a GitHub
// double that lives elsewhere. Running them here keeps the load generator and the double out of the
// memory figure. Settings arrive as JSON in argv[2]; the URLs leave as one JSON line on stdout; SIGTERM
// stops the servers (in-flight answers finish) and exits.
import type { Server } from 'probot';
import { createGitHubPort } from '../../src/github/index.js';
import { lineSink, startProbotServer } from './probot-kit.js';

export interface ReplicaSettings {
  githubUrl: string;
  count: number;
  env: Record<string, string>;
  /** The port's retry (default: the bot's own, BOT_PORT_RETRY in bot/index.ts). */
  retry?: { retries: number; baseMs: number };
  /** Divides every port sleep (backoff, retry-after) by this (1 = real time). */
  sleepDivisor?: number;
  /** The bot's start-up warm-up (default off); `await`: ready means warm. */
  warmUp?: 'off' | 'background' | 'await';
}

const settings = JSON.parse(process.argv[2] ?? '{}') as ReplicaSettings;
// Production writes one JSON line per request to stdout; here they are counted and dropped, so the
// figure is the bot's memory, not a growing array of log lines.
let logLines = 0;
let warningsShown = 0;
const sink = lineSink((line) => {
  logLines++;
  // The first few warnings and errors go to stderr: a benchmark that sees failed answers says why.
  if (warningsShown < 5 && /"level":(40|50|60)\b/.test(line)) {
    warningsShown++;
    process.stderr.write(`  replica: ${line.slice(0, 600)}\n`);
  }
});
const divisor = settings.sleepDivisor ?? 1;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms / divisor));

const servers: Server[] = [];
const urls: string[] = [];
for (let i = 0; i < settings.count; i++) {
  const { server, url } = await startProbotServer({
    baseUrl: settings.githubUrl,
    destination: sink,
    bot: {
      env: settings.env,
      ...(settings.warmUp ? { warmUp: settings.warmUp } : {}),
      portFactory: (client, owner, repo, trust) =>
        createGitHubPort({
          client,
          owner,
          repo,
          trust,
          sleep,
          ...(settings.retry ? { retry: settings.retry } : {}),
        }),
    },
  });
  servers.push(server);
  urls.push(url);
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
