// Monitoring as a user runs it: the blackbox exporter probes each region's /healthz, Prometheus scrapes
// it from two probe jobs (two vantage points, so the policy's quorum rule counts real, separate
// alerts), evaluates the RegionDown rule and hands firing alerts to Alertmanager.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, waitFor } from './ports.js';
import { type RunningProcess, startProcess } from './processes.js';

export const PROMETHEUS_BIN = 'prometheus';
export const BLACKBOX_BIN = 'prometheus-blackbox-exporter';
export const PROBE_JOBS = ['blackbox-a', 'blackbox-b'] as const;
/** How long a region must fail before the alert fires (short: the sandbox measures a recovery time). */
export const ALERT_FOR = '2s';

export interface Monitoring {
  prometheusUrl: string;
  blackboxUrl: string;
  processes: RunningProcess[];
  stop(): Promise<void>;
}

const BLACKBOX_CONFIG = `modules:
  http_2xx:
    prober: http
    timeout: 800ms
    http:
      preferred_ip_protocol: ip4
      valid_status_codes: [200]
`;

export const RULES = `groups:
  - name: checkout
    rules:
      - alert: RegionDown
        expr: probe_success{service="checkout"} == 0
        for: ${ALERT_FOR}
        labels:
          severity: critical
        annotations:
          summary: 'checkout unreachable in {{ $labels.region }} (seen from {{ $labels.probe }})'
`;

function prometheusConfig(opts: {
  blackbox: string;
  alertmanager: string;
  regions: Record<string, string>;
}): string {
  const targets = Object.entries(opts.regions)
    .map(
      ([region, url]) =>
        `      - targets: ['${url}/healthz']\n        labels: { service: checkout, region: ${region} }`,
    )
    .join('\n');
  const job = (name: string) => `  - job_name: ${name}
    metrics_path: /probe
    params: { module: [http_2xx] }
    static_configs:
${targets}
    relabel_configs:
      - source_labels: [__address__]
        target_label: __param_target
      - target_label: __address__
        replacement: ${opts.blackbox}
      - target_label: probe
        replacement: ${name}`;
  return `global:
  scrape_interval: 1s
  scrape_timeout: 900ms
  evaluation_interval: 1s
rule_files: [rules.yml]
alerting:
  alertmanagers:
    - static_configs:
        - targets: ['${opts.alertmanager}']
scrape_configs:
${PROBE_JOBS.map(job).join('\n')}
`;
}

async function ready(proc: RunningProcess, url: string, what: string): Promise<void> {
  try {
    await waitFor(async () => !proc.exited() && (await fetch(url)).ok, 30_000, what);
  } catch (err) {
    await proc.stop();
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n${proc.output()}`);
  }
}

/** Starts the blackbox exporter and Prometheus in `dir`; `alertmanager` is host:port. */
export async function startMonitoring(
  dir: string,
  regions: Record<string, string>,
  alertmanager: string,
): Promise<Monitoring> {
  const [bbPort, promPort] = [await freePort(), await freePort()];
  writeFileSync(join(dir, 'blackbox.yml'), BLACKBOX_CONFIG);
  const blackbox = startProcess(BLACKBOX_BIN, BLACKBOX_BIN, [
    `--config.file=${join(dir, 'blackbox.yml')}`,
    `--web.listen-address=127.0.0.1:${bbPort}`,
    // The probe may use the scrape timeout (900ms) minus this; the default 0.5s leaves too little on a
    // loaded machine, where a healthy region would then look down.
    '--timeout-offset=0.1',
    '--log.level=warn',
  ]);
  const blackboxUrl = `http://127.0.0.1:${bbPort}`;
  await ready(blackbox, `${blackboxUrl}/-/healthy`, 'the blackbox exporter');
  writeFileSync(join(dir, 'rules.yml'), RULES);
  writeFileSync(
    join(dir, 'prometheus.yml'),
    prometheusConfig({ blackbox: `127.0.0.1:${bbPort}`, alertmanager, regions }),
  );
  const prometheus = startProcess(PROMETHEUS_BIN, PROMETHEUS_BIN, [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'prometheus-data')}`,
    `--web.listen-address=127.0.0.1:${promPort}`,
    '--log.level=warn',
  ]);
  const prometheusUrl = `http://127.0.0.1:${promPort}`;
  try {
    await ready(prometheus, `${prometheusUrl}/-/ready`, 'prometheus');
  } catch (err) {
    await blackbox.stop();
    throw err;
  }
  const processes = [prometheus, blackbox];
  return {
    prometheusUrl,
    blackboxUrl,
    processes,
    stop: async () => {
      for (const p of processes) await p.stop();
    },
  };
}

export interface FiringAlert {
  region: string;
  probe: string;
  state: string;
  activeAt: string;
}

/** The RegionDown alerts Prometheus holds right now (pending or firing). */
export async function regionAlerts(prometheusUrl: string): Promise<FiringAlert[]> {
  const res = await fetch(`${prometheusUrl}/api/v1/alerts`, { signal: AbortSignal.timeout(5_000) });
  const body = (await res.json()) as {
    data?: { alerts?: { labels: Record<string, string>; state: string; activeAt: string }[] };
  };
  return (body.data?.alerts ?? [])
    .filter((a) => a.labels.alertname === 'RegionDown')
    .map((a) => ({
      region: a.labels.region ?? '',
      probe: a.labels.probe ?? '',
      state: a.state,
      activeAt: a.activeAt,
    }));
}
