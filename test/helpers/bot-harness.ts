// Starts the real bot (Probot's own Server, our composition root, our redacting logger) on 127.0.0.1,
// pointed at the GitHub double. Log lines are captured so tests can read the audit trail and check that
// no credential leaked. Always `close()` it.
import type { FailoverBotOptions } from '../../bot/index.js';
import { botSecrets } from '../../bot/settings.js';
import { knownSecret } from './leak-guard.js';
import { lineSink, startProbotServer, TEST_MARKER_KEY } from './probot-kit.js';

export interface BotHarness {
  url: string;
  logs: string[];
  close(): Promise<void>;
}

export async function startBot(opts: {
  githubUrl: string;
  env: Record<string, string>;
  app?: Omit<FailoverBotOptions, 'env'>;
}): Promise<BotHarness> {
  const logs: string[] = [];
  // Every secret the bot is given is guarded for the rest of the test file.
  knownSecret(...botSecrets({ FAILOVER_MARKER_KEY: TEST_MARKER_KEY, ...opts.env }).values);
  const { server, url } = await startProbotServer({
    baseUrl: opts.githubUrl,
    destination: lineSink((line) => logs.push(line)),
    bot: { ...opts.app, env: opts.env },
  });
  return { url, logs, close: () => server.stop() };
}
