// What every way of hosting the bot shares (the long-running server in server.ts, the serverless handler
// in serverless.ts): the redacting logger configured from the environment, and Probot's Octokit with its
// own retry and throttling plugins off, because the GitHub port retries itself (bounded, honouring
// retry-after) and two layers would multiply calls during an alert storm.
import { ProbotOctokit } from 'probot';
import { createBotLogger } from './logging.js';
import { botSecrets } from './settings.js';

type Env = Record<string, string | undefined>;

export function botLoggerFromEnv(env: Env) {
  return createBotLogger({
    level: env.LOG_LEVEL,
    logFormat:
      env.LOG_FORMAT === 'pretty' || (!env.LOG_FORMAT && env.NODE_ENV !== 'production') ? 'pretty' : 'json',
    logLevelInString: env.LOG_LEVEL_IN_STRING === 'true',
    // Every secret of the environment is masked wherever it would appear in a line.
    secrets: botSecrets(env),
  });
}

export const FailoverOctokit = ProbotOctokit.defaults((o: Record<string, unknown>) => ({
  ...o,
  retry: { enabled: false },
  throttle: { ...(o.throttle as object | undefined), enabled: false },
}));
