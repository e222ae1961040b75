// The real bot as a separate process (`bot/server.ts`, Probot's own server), pointed at the in-memory
// GitHub through GHE_HOST/GHE_PROTOCOL exactly as it would be pointed at GitHub Enterprise, with a
// throwaway App key and webhook secret. Its JSON log lines are kept: the demo reads its decisions there.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { freePort, waitFor } from './ports.js';
import { type RunningProcess, startProcess } from './processes.js';

export interface RunningBot {
  url: string;
  webhookUrl: string;
  webhookSecret: string;
  alertToken: string;
  process: RunningProcess;
  /** The bot's log lines parsed (JSON), in order. */
  logs(): Record<string, unknown>[];
  stop(): Promise<void>;
}

/** The sandbox app's key pair: the bot signs its JWTs with the private key, GitHub checks them with the public. */
export function appKeyPair(): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }) as string,
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }) as string,
  };
}

export async function startBotProcess(
  root: string,
  githubUrl: string,
  privateKey: string,
): Promise<RunningBot> {
  const port = await freePort();
  const webhookSecret = `sandbox-webhook-${port}`;
  const alertToken = `sandbox-alert-token-${port}`;
  const host = new URL(githubUrl).host;
  const proc = startProcess('bot', process.execPath, ['--import', 'tsx', join(root, 'bot/server.ts')], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      APP_ID: '1',
      PRIVATE_KEY: privateKey,
      WEBHOOK_SECRET: webhookSecret,
      HOST: '127.0.0.1',
      PORT: String(port),
      GHE_HOST: host,
      GHE_PROTOCOL: 'http',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      FAILOVER_ALERT_TOKENS: alertToken,
      // Signs the marker of every PR the bot opens (a fresh key per sandbox).
      FAILOVER_MARKER_KEY: randomBytes(32).toString('hex'),
    },
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(async () => !proc.exited() && (await fetch(`${url}/healthz`)).ok, 60_000, 'the bot');
  } catch (err) {
    await proc.stop();
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n${proc.output()}`);
  }
  return {
    url,
    webhookUrl: `${url}/api/github/webhooks`,
    webhookSecret,
    alertToken,
    process: proc,
    logs: () =>
      proc
        .output()
        .split('\n')
        .flatMap((line) => {
          try {
            const parsed = JSON.parse(line) as unknown;
            return parsed && typeof parsed === 'object' ? [parsed as Record<string, unknown>] : [];
          } catch {
            return [];
          }
        }),
    stop: () => proc.stop(),
  };
}
