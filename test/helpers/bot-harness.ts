// Starts the real bot (Probot's own Server, our composition root, our redacting logger) on 127.0.0.1,
// pointed at the GitHub double. Log lines are captured so tests can read the audit trail and check that
// no credential leaked. Always `close()` it.
import { generateKeyPairSync } from 'node:crypto';
import { Writable } from 'node:stream';
import { Probot, ProbotOctokit, Server } from 'probot';
import { createFailoverApp, type FailoverBotOptions } from '../../bot/index.js';
import { createBotLogger } from '../../bot/logging.js';
import { createBotMetrics } from '../../bot/metrics.js';
import { freePort } from './ports.js';

export interface BotHarness {
  url: string;
  logs: string[];
  close(): Promise<void>;
}

let cachedKey: string | undefined;
function privateKey(): string {
  cachedKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
    type: 'pkcs1',
    format: 'pem',
  }) as string;
  return cachedKey;
}

export async function startBot(opts: {
  githubUrl: string;
  env: Record<string, string>;
  app?: Omit<FailoverBotOptions, 'env'>;
}): Promise<BotHarness> {
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      logs.push(...String(chunk).split('\n').filter(Boolean));
      cb();
    },
  });
  const log = await createBotLogger({ level: 'info', logFormat: 'json', destination });
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
    Probot: Probot.defaults({ appId: 1, privateKey: privateKey(), baseUrl: opts.githubUrl, Octokit, log }),
  });
  await server.load(
    createFailoverApp({ metrics: createBotMetrics(), ...opts.app, env: opts.env }) as Parameters<
      Server['load']
    >[0],
  );
  await server.start();
  return {
    url: `http://127.0.0.1:${port}`,
    logs,
    close: () => server.stop(),
  };
}
