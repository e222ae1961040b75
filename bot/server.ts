// `npm start`: runs the app with Probot's own server (setup flow when APP_ID is missing, see setup.ts;
// APP_ID, PRIVATE_KEY / PRIVATE_KEY_PATH, WEBHOOK_SECRET, PORT, HOST, GHE_HOST / GHE_PROTOCOL, GH_ORG as
// Probot reads them).
// Two things differ from `probot run`: the logger redacts credentials (bot/logging.ts), and Octokit's
// retry and throttling plugins are off (bot/runtime.ts). bot/serverless.ts is the same app as a handler.
import { createInterface } from 'node:readline/promises';
import { run } from 'probot';
import app from './index.js';
import { botLoggerFromEnv, FailoverOctokit } from './runtime.js';
import { readBotSettings, SettingsError } from './settings.js';
import { planSetup } from './setup.js';

const env = process.env;
const log = await botLoggerFromEnv(env);

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
const server = await run(app, { Octokit: FailoverOctokit, log, ...setup?.runOptions });
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
