// Starts a real Prometheus Alertmanager (Debian's prometheus-alertmanager) on loopback whose only
// receiver is a webhook: the sandbox routes Prometheus' alerts to the bot through it, and the intake
// tests exercise exactly what production sends.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor } from './ports.js';

export const ALERTMANAGER_BIN = 'prometheus-alertmanager';

/** Why the real Alertmanager cannot run here, or undefined when it can. */
export function alertmanagerMissing(): string | undefined {
  try {
    execFileSync(ALERTMANAGER_BIN, ['--version'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return `${ALERTMANAGER_BIN} is not installed (apt-get install prometheus-alertmanager)`;
  }
}

export interface AlertmanagerOptions {
  webhookUrl: string;
  bearerToken?: string;
  groupBy?: string[];
  /** How soon an unchanged, still-firing group is sent again (default 1h). */
  repeatInterval?: string;
}

export interface RunningAlertmanager {
  url: string;
  /** Posts alerts through Alertmanager's own API (what Prometheus does). */
  fire(
    alerts: {
      labels: Record<string, string>;
      annotations?: Record<string, string>;
      startsAt?: string;
      endsAt?: string;
    }[],
  ): Promise<void>;
  stop(): Promise<void>;
  logs(): string;
}

export async function startAlertmanager(options: AlertmanagerOptions): Promise<RunningAlertmanager> {
  const dir = mkdtempSync(join(tmpdir(), 'failover-am-'));
  const port = await freePort();
  const auth = options.bearerToken
    ? `\n        http_config:\n          authorization:\n            type: Bearer\n            credentials: ${JSON.stringify(options.bearerToken)}`
    : '';
  writeFileSync(
    join(dir, 'alertmanager.yml'),
    `route:
  receiver: failover
  group_by: ${JSON.stringify(options.groupBy ?? ['alertname', 'service'])}
  group_wait: 1s
  group_interval: 1s
  repeat_interval: ${options.repeatInterval ?? '1h'}
receivers:
  - name: failover
    webhook_configs:
      - url: ${JSON.stringify(options.webhookUrl)}
        send_resolved: true${auth}
`,
  );
  let output = '';
  const child: ChildProcess = spawn(
    ALERTMANAGER_BIN,
    [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(async () => (await fetch(`${url}/-/ready`)).ok, 15_000, 'alertmanager to be ready');
  } catch (err) {
    await stop();
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n${output}`);
  }
  return {
    url,
    logs: () => output,
    stop,
    async fire(alerts) {
      const res = await fetch(`${url}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(alerts),
      });
      if (!res.ok) throw new Error(`alertmanager refused alerts: ${res.status} ${await res.text()}`);
    },
  };
}
