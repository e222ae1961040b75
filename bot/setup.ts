// First start without APP_ID: Probot's setup flow registers the GitHub App from app.yml. Two things are
// set here so the App it registers works and its secrets stay private:
// - the webhook URL is `<public URL>/api/github/webhooks` (Probot's path), from FAILOVER_PUBLIC_URL or
//   asked on the terminal; Probot alone would register `http://localhost:3000/`, which GitHub cannot
//   reach and where Probot does not listen for webhooks;
// - the App's settings (private key included) go into .env written with mode 600 (git-ignored).
// A smee.io channel (WEBHOOK_PROXY_URL) stays possible for a trial: Probot then uses and proxies it.
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';

export const DEFAULT_WEBHOOK_PATH = '/api/github/webhooks';

type Env = Record<string, string | undefined>;

export interface SetupPlan {
  /** Where GitHub will send webhooks. */
  webhookUrl: string;
  /** What to pass to Probot's run() for the setup flow. */
  runOptions: { env: Env; updateEnv: (values: Env) => Env };
}

/** `https://bot.example.com/` → `https://bot.example.com/api/github/webhooks`; refuses what GitHub cannot call. */
export function webhookUrlFor(publicUrl: string, webhookPath = DEFAULT_WEBHOOK_PATH): string {
  let url: URL;
  try {
    url = new URL(publicUrl.trim());
  } catch {
    throw new Error(
      `FAILOVER_PUBLIC_URL "${publicUrl}" is not a URL (e.g. https://failover-bot.example.com)`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`FAILOVER_PUBLIC_URL must be http(s), not ${url.protocol}`);
  }
  if (url.search || url.hash) throw new Error('FAILOVER_PUBLIC_URL must not carry a query or fragment');
  const base = url.pathname.replace(/\/+$/, '');
  return `${url.origin}${base}${webhookPath.startsWith('/') ? webhookPath : `/${webhookPath}`}`;
}

/** The values of the .env file (Probot loads it too), or nothing when there is none. */
export function readEnvFile(path: string): Record<string, string> {
  return existsSync(path) ? (parseEnv(readFileSync(path, 'utf8')) as Record<string, string>) : {};
}

/**
 * Merges `values` into the .env file at `path`, readable by the owner only (mode 600): it holds the
 * App's private key and webhook secret. Also sets them in `env` (Probot reads process.env afterwards).
 */
export function writeEnvFile(path: string, values: Env, env: Env = process.env): Record<string, string> {
  const given = Object.entries(values).filter((e): e is [string, string] => e[1] !== undefined);
  const merged = { ...readEnvFile(path), ...Object.fromEntries(given.map(([k, v]) => [k, unquote(v)])) };
  const text = Object.entries(merged)
    .map(([key, value]) => `${key}=${/[\s"#'\\]/.test(value) ? `"${value.replaceAll('\n', '\\n')}"` : value}`)
    .join('\n');
  writeFileSync(path, `${text}\n`, { mode: 0o600 });
  chmodSync(path, 0o600); // an existing file keeps its mode on write
  Object.assign(env, merged);
  return merged;
}

/** Probot hands the key over wrapped in quotes for its own .env format. */
function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}

/**
 * Undefined when the App is configured (APP_ID in the environment or .env) or in production (where
 * Probot refuses to start without it). Otherwise the options for Probot's setup flow, with the webhook
 * URL from FAILOVER_PUBLIC_URL, from `ask` (a terminal), or a smee.io WEBHOOK_PROXY_URL.
 */
export async function planSetup(
  env: Env,
  opts: { envFile?: string; ask?: (question: string) => Promise<string> } = {},
): Promise<SetupPlan | undefined> {
  const envFile = opts.envFile ?? join(process.cwd(), '.env');
  const fromFile = readEnvFile(envFile);
  if (env.APP_ID || fromFile.APP_ID || env.NODE_ENV === 'production') return undefined;
  const proxy = env.WEBHOOK_PROXY_URL || fromFile.WEBHOOK_PROXY_URL;
  const runOptions = (runEnv: Env) => ({
    env: runEnv,
    updateEnv: (values: Env) => writeEnvFile(envFile, values, env),
  });
  if (proxy) return { webhookUrl: proxy, runOptions: runOptions(env) };
  const publicUrl =
    env.FAILOVER_PUBLIC_URL || fromFile.FAILOVER_PUBLIC_URL || (await opts.ask?.(PUBLIC_URL_QUESTION));
  if (!publicUrl) throw new Error(NO_PUBLIC_URL);
  const webhookUrl = webhookUrlFor(publicUrl, env.WEBHOOK_PATH || DEFAULT_WEBHOOK_PATH);
  // Probot's manifest takes the webhook URL from process.env.WEBHOOK_PROXY_URL; its server must not
  // treat that URL as a smee channel to connect to, so the options it reads do not carry it.
  env.WEBHOOK_PROXY_URL = webhookUrl;
  return { webhookUrl, runOptions: runOptions({ ...env, WEBHOOK_PROXY_URL: undefined }) };
}

export const PUBLIC_URL_QUESTION =
  'Public URL where GitHub can reach this bot (e.g. https://failover-bot.example.com, or a tunnel URL): ';

const NO_PUBLIC_URL =
  'Setting up the GitHub App needs the public URL GitHub will send webhooks to: set FAILOVER_PUBLIC_URL ' +
  '(e.g. https://failover-bot.example.com; for a trial, a tunnel such as `cloudflared tunnel --url ' +
  'http://localhost:3000` or `ngrok http 3000`), or WEBHOOK_PROXY_URL to a https://smee.io channel. ' +
  'See docs/production.md.';
