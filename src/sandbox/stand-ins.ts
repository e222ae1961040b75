// Built-in stand-ins for the Debian programs a machine may lack, so the demo still runs the whole loop:
// a probe loop that does what blackbox + Prometheus + Alertmanager do here (two probe labels, the rule's
// `for`, Alertmanager v4 webhook payloads with bearer auth), and a small HTTP proxy that routes like the
// HAProxy config (map file, /<region>/ direct paths, reload on SIGUSR2). The demo and the report say
// whenever one was used.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type EntryPoint, startEntryPoint } from './entry-point.js';
import { type FiringAlert, PROBE_JOBS } from './monitoring.js';
import { startProcess } from './processes.js';

const FOR_MS = 2_000;

export interface StandInMonitoring {
  alerts(): Promise<FiringAlert[]>;
  /** True once every region was probed at least once. */
  ready(): boolean;
  logs(): string;
  stop(): Promise<void>;
}

interface ProbeState {
  region: string;
  probe: string;
  url: string;
  failingSince?: number;
  firedAt?: number;
  probed: boolean;
}

async function healthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(800) });
    await res.body?.cancel().catch(() => undefined);
    return res.status === 200;
  } catch {
    return false;
  }
}

function payload(states: ProbeState[], status: 'firing' | 'resolved') {
  const alerts = states.map((s) => ({
    status,
    labels: {
      alertname: 'RegionDown',
      service: 'checkout',
      region: s.region,
      probe: s.probe,
      severity: 'critical',
    },
    annotations: { summary: `checkout unreachable in ${s.region} (seen from ${s.probe})` },
    startsAt: new Date(s.firedAt ?? Date.now()).toISOString(),
    endsAt: status === 'resolved' ? new Date().toISOString() : '0001-01-01T00:00:00Z',
    generatorURL: 'http://stand-in-probe-loop/',
    fingerprint: `${s.region}-${s.probe}`,
  }));
  return {
    version: '4',
    groupKey: '{}:{alertname="RegionDown", service="checkout"}',
    truncatedAlerts: 0,
    status,
    receiver: 'failover',
    groupLabels: { alertname: 'RegionDown', service: 'checkout' },
    commonLabels: { alertname: 'RegionDown', service: 'checkout', severity: 'critical' },
    commonAnnotations: {},
    externalURL: 'http://stand-in-probe-loop/',
    alerts,
  };
}

/** Probes every region from each probe label once a second; posts firing/resolved groups to `webhookUrl`. */
export function startProbeLoop(
  regions: Record<string, string>,
  webhookUrl: string,
  token: string,
): StandInMonitoring {
  const states: ProbeState[] = PROBE_JOBS.flatMap((probe) =>
    Object.entries(regions).map(([region, url]) => ({ region, probe, url: `${url}/healthz`, probed: false })),
  );
  let log = '';
  let running = true;
  const post = async (body: unknown) => {
    try {
      const res = await fetch(webhookUrl, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
      log += `POST ${res.status}\n`;
    } catch (err) {
      log += `POST failed: ${err instanceof Error ? err.message : String(err)}\n`;
    }
  };
  const tick = async () => {
    const now = Date.now();
    const resolved: ProbeState[] = [];
    await Promise.all(
      states.map(async (s) => {
        const ok = await healthy(s.url);
        s.probed = true;
        if (ok) {
          if (s.firedAt !== undefined) resolved.push({ ...s });
          s.failingSince = undefined;
          s.firedAt = undefined;
          return;
        }
        s.failingSince ??= now;
        if (s.firedAt === undefined && now - s.failingSince >= FOR_MS) s.firedAt = now;
      }),
    );
    const firing = states.filter((s) => s.firedAt !== undefined);
    // Like Alertmanager with group_interval 1s: the whole group, every interval while it fires.
    if (firing.length > 0) await post(payload(firing, 'firing'));
    if (resolved.length > 0) await post(payload(resolved, 'resolved'));
  };
  const loop = (async () => {
    while (running) {
      const started = Date.now();
      await tick();
      await new Promise((r) => setTimeout(r, Math.max(0, 1_000 - (Date.now() - started))));
    }
  })();
  return {
    ready: () => states.every((s) => s.probed),
    logs: () => log.slice(-4_000),
    async alerts() {
      return states.flatMap((s) =>
        s.failingSince === undefined
          ? []
          : [
              {
                region: s.region,
                probe: s.probe,
                state: s.firedAt === undefined ? 'pending' : 'firing',
                activeAt: new Date(s.failingSince).toISOString(),
              },
            ],
      );
    },
    async stop() {
      running = false;
      await loop;
    },
  };
}

const PROXY_SOURCE = `
import { createServer, request } from 'node:http';
import { readFileSync } from 'node:fs';
const [port, mapFile, regionsJson] = process.argv.slice(2);
const regions = JSON.parse(regionsJson);
let active;
const load = () => { active = /^checkout\\s+(\\S+)/m.exec(readFileSync(mapFile, 'utf8'))?.[1]; };
load();
process.on('SIGUSR2', load);
createServer((req, res) => {
  const direct = /^\\/([^/]+)(\\/.*)$/.exec(req.url ?? '/');
  const region = direct && regions[direct[1]] ? direct[1] : active;
  const path = direct && regions[direct[1]] ? direct[2] : req.url;
  const [host, to] = (regions[region] ?? '').split(':');
  const up = request({ host, port: Number(to), path, method: req.method, headers: req.headers, timeout: 5000 }, (r) => {
    res.writeHead(r.statusCode ?? 502, r.headers);
    r.pipe(res);
  });
  up.on('error', () => { if (!res.headersSent) res.writeHead(503); res.end('no server is available\\n'); });
  req.pipe(up);
}).listen(Number(port), '127.0.0.1');
`;

/** The built-in proxy (a child node process) routing like the HAProxy config; reloads on SIGUSR2. */
export function startBuiltInProxy(
  dir: string,
  regions: Record<string, string>,
  active: string,
): Promise<EntryPoint> {
  return startEntryPoint('built-in proxy', dir, active, (port, mapFile) => {
    const script = join(dir, 'stand-in-proxy.mjs');
    writeFileSync(script, PROXY_SOURCE);
    return startProcess('built-in proxy', process.execPath, [
      script,
      String(port),
      mapFile,
      JSON.stringify(regions),
    ]);
  });
}
