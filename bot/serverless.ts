// The bot as one Node.js (req, res) handler for serverless platforms: Probot's createNodeMiddleware with
// our app, so GitHub webhooks (/api/github/webhooks), the alert route (/failover/v1/alerts/...),
// /healthz and /metrics are all served, the same as by the long-running server. Configuration is the
// same environment (APP_ID, PRIVATE_KEY, WEBHOOK_SECRET, FAILOVER_ALERT_TOKENS, ...); there is no setup
// flow here: register the App first (docs/production.md). What each platform needs is in that page.
//   export { default } from './serverless.js'      (a platform that calls handler(req, res))
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createNodeMiddleware, createProbot } from 'probot';
import { createFailoverApp, type FailoverBotOptions } from './index.js';
import { botLoggerFromEnv, FailoverOctokit } from './runtime.js';

export type FailoverHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export interface ServerlessOptions {
  env?: Record<string, string | undefined>;
  /** Probot options over the environment's (tests point `baseUrl` at an in-memory GitHub). */
  probot?: { baseUrl?: string };
  bot?: Omit<FailoverBotOptions, 'env'>;
}

export async function createFailoverHandler(options: ServerlessOptions = {}): Promise<FailoverHandler> {
  const env = options.env ?? process.env;
  const log = await botLoggerFromEnv(env);
  const probot = createProbot({ env, overrides: { log, Octokit: FailoverOctokit, ...options.probot } });
  const middleware = await createNodeMiddleware(createFailoverApp({ ...options.bot, env }), {
    probot,
    webhooksPath: env.WEBHOOK_PATH || '/api/github/webhooks',
  });
  return async (req, res) => {
    const handled = await middleware(req, res);
    if (!handled && !res.headersSent) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: 'not_found',
          message: `no route for ${req.method} ${req.url?.split('?')[0]}`,
        }),
      );
    }
  };
}

// Built once per instance (cold start) and reused by every invocation it serves.
let instance: Promise<FailoverHandler> | undefined;

export default async function handler(req: IncomingMessage, res: ServerResponse): Promise<void> {
  instance ??= createFailoverHandler();
  return (await instance)(req, res);
}
