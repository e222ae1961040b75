// `npm start`: runs the app with Probot's own server (setup flow when APP_ID is missing, see setup.ts;
// APP_ID, PRIVATE_KEY / PRIVATE_KEY_PATH, WEBHOOK_SECRET, PORT, HOST, GHE_HOST / GHE_PROTOCOL, GH_ORG as
// Probot reads them).
// Two things differ from `probot run`: the logger redacts credentials (bot/logging.ts), and Octokit's
// retry and throttling plugins are off because the GitHub port does its own bounded retrying.
import { createInterface } from 'node:readline/promises';
import { ProbotOctokit, run } from 'probot';
import app from './index.js';
import { createBotLogger } from './logging.js';
import { readBotSettings, SettingsError } from './settings.js';
import { planSetup } from './setup.js';

const env = process.env;
const log = await createBotLogger({
  level: env.LOG_LEVEL,
  logFormat:
    env.LOG_FORMAT === 'pretty' || (!env.LOG_FORMAT && env.NODE_ENV !== 'production') ? 'pretty' : 'json',
  logLevelInString: env.LOG_LEVEL_IN_STRING === 'true',
});
const Octokit = ProbotOctokit.defaults((o: Record<string, unknown>) => ({
  ...o,
  retry: { enabled: false },
  throttle: { ...(o.throttle as object | undefined), enabled: false },
}));

// Settings that make the bot unsafe to run stop it here, with one clear line, before it listens. Probot's
// setup flow (no APP_ID yet) registers the app first and needs none of them.
if (env.APP_ID) {
  try {
    readBotSettings(env);
  } catch (thrown: unknown) {
    if (!(thrown instanceof SettingsError)) throw thrown;
    log.fatal(thrown.message);
    process.exit(1);
  }
}

const setup = await planSetup(env, { ask: process.stdin.isTTY ? askOnTerminal : undefined });
if (setup) log.info(`setup mode: the GitHub App will receive webhooks at ${setup.webhookUrl}`);
const server = await run(app, { Octokit, log, ...setup?.runOptions });
// Containers stop with SIGTERM (Probot only handles SIGINT): finish in-flight answers, then exit.
process.once('SIGTERM', () => {
  server.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});

async function askOnTerminal(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return (await rl.question(question)).trim();
  } finally {
    rl.close();
  }
}
