// The prometheus probe against a REAL Prometheus (Debian package `prometheus`) that scrapes a local
// exporter serving the text exposition format. Skipped, with the reason printed, when the binary is absent.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CheckConfig, checkSchema } from '../../src/core/config/schema.js';
import { runChecks } from '../../src/verify/index.js';
import { freePort, waitFor } from '../helpers/ports.js';

const BIN = 'prometheus';
const missing = (() => {
  try {
    execFileSync(BIN, ['--version'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return `${BIN} is not installed (apt-get install prometheus); skipping the real-Prometheus probe test`;
  }
})();
if (missing) console.log(missing);

const EXPOSITION = [
  '# HELP pg_replication_lag_seconds Replication lag of the standby.',
  '# TYPE pg_replication_lag_seconds gauge',
  'pg_replication_lag_seconds{region="us-west-2"} 1.5',
  'pg_replication_lag_seconds{region="eu-west-1"} 12',
  '',
].join('\n');

let exporter: Server | undefined;
let prometheus: ChildProcess | undefined;
let dir: string | undefined;
let url = '';
let logs = '';

async function query(q: string): Promise<{ data?: { result?: unknown[] } }> {
  const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(q)}`);
  return (await res.json()) as { data?: { result?: unknown[] } };
}

describe.skipIf(missing !== undefined)('prometheus probe against a real Prometheus', () => {
  beforeAll(async () => {
    exporter = createServer((req, res) => {
      if (req.url !== '/metrics') return res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(EXPOSITION);
    });
    await new Promise<void>((resolve) => exporter?.listen(0, '127.0.0.1', resolve));
    const address = exporter.address();
    const exporterPort = typeof address === 'object' && address ? address.port : 0;

    dir = mkdtempSync(join(tmpdir(), 'verify-prom-'));
    writeFileSync(
      join(dir, 'prometheus.yml'),
      [
        'global: { scrape_interval: 1s, evaluation_interval: 1s }',
        'scrape_configs:',
        '  - job_name: exporter',
        `    static_configs: [{ targets: ["127.0.0.1:${exporterPort}"] }]`,
        '',
      ].join('\n'),
    );
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    prometheus = spawn(
      BIN,
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    prometheus.stdout?.on('data', (d: Buffer) => (logs += d.toString()));
    prometheus.stderr?.on('data', (d: Buffer) => (logs += d.toString()));
    try {
      await waitFor(
        async () => ((await query('pg_replication_lag_seconds')).data?.result?.length ?? 0) === 2,
        45_000,
        'Prometheus to scrape the exporter',
      );
    } catch (err: unknown) {
      throw new Error(`${(err as Error).message}\nprometheus logs:\n${logs}`);
    }
  });

  afterAll(async () => {
    if (prometheus && prometheus.exitCode === null) {
      const exited = new Promise((resolve) => prometheus?.once('exit', resolve));
      prometheus.kill('SIGTERM');
      await exited;
    }
    await new Promise<void>((resolve) => (exporter ? exporter.close(() => resolve()) : resolve()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const lag = (expect: string, extra: Record<string, unknown> = {}): CheckConfig =>
    checkSchema.parse({
      name: 'replication-lag',
      interval: '200ms',
      failure_limit: 0,
      prometheus: { url, query: 'max(pg_replication_lag_seconds{region="{target}"})', expect },
      ...extra,
    });

  it('passes `< 5` for a lag of 1.5', async () => {
    const report = await runChecks([lag('< 5')], { target: 'us-west-2', timeoutMs: 10_000 });
    expect(report.checks[0]).toMatchObject({ verdict: 'pass', ok: true });
    expect(report.checks[0]?.attempts[0]?.observed).toBe('1.5');
  });

  it('fails `< 1` for a lag of 1.5', async () => {
    const report = await runChecks([lag('< 1')], { target: 'us-west-2', timeoutMs: 10_000 });
    expect(report.checks[0]?.verdict).toBe('fail');
    expect(report.checks[0]?.attempts[0]?.error).toBe('1.5 does not satisfy < 1');
  });

  it('is inconclusive for a region that has no series', async () => {
    // Inconclusive is only ever reached at the deadline, so the deadline must leave a loaded machine time
    // for several real queries; the attempt the deadline cuts short proves nothing and is left out.
    const report = await runChecks([lag('< 5')], { target: 'ap-south-1', timeoutMs: 5_000 });
    expect(report.checks[0]?.verdict).toBe('inconclusive');
    const finished = (report.checks[0]?.attempts ?? []).filter(
      (a) => !a.error?.startsWith('no answer before the overall timeout'),
    );
    expect(finished.length).toBeGreaterThan(0);
    expect(finished.every((a) => a.ok === null && a.observed === 'empty result')).toBe(true);
  });

  it('checks every series of a vector and reports the failing one', async () => {
    const all = checkSchema.parse({
      name: 'all-regions',
      failure_limit: 0,
      prometheus: { url, query: 'pg_replication_lag_seconds', expect: '< 5' },
    });
    const report = await runChecks([all], { target: 'us-west-2', timeoutMs: 10_000 });
    expect(report.checks[0]?.verdict).toBe('fail');
    expect(report.checks[0]?.attempts[0]?.error).toMatch(/region="eu-west-1".* 12 does not satisfy < 5/);
  });

  it('reports a PromQL syntax error from the real API as a failure with its message', async () => {
    const broken = checkSchema.parse({
      name: 'broken',
      failure_limit: 0,
      prometheus: { url, query: 'rate(pg_replication_lag_seconds[', expect: '< 5' },
    });
    const report = await runChecks([broken], { target: 'us-west-2', timeoutMs: 10_000 });
    expect(report.checks[0]?.verdict).toBe('fail');
    expect(report.checks[0]?.attempts[0]?.error).toMatch(/^Prometheus bad_data: .*parse error/);
  });
});
