// Alert → PR with the world view (DESIGN §9 + issue 7): the alert service end to end, with the GitHub
// double at 100 ms per call, a real local HTTP server playing the Alertmanager API v2 and one preflight
// health endpoint, each answering after 100 ms. The world is read beside the snapshot, so it should add
// about nothing to the two warm GitHub round trips: budget 600 ms.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createGitHubPort } from '../src/github/index.js';
import { createAlertService } from '../src/service/alerts.js';
import { createLiveWorldReader } from '../src/world/index.js';
import { STATE_PATH, STATE_TEXT } from '../test/helpers/github-double/fixtures.js';
import { doubleClient, startGitHubDouble } from '../test/helpers/github-double/index.js';
import type { Figures } from './run.js';

const RUNS = 5;
const RTT_MS = 100;
const body = JSON.parse(
  readFileSync(new URL('../examples/alerts/alertmanager-region-down.json', import.meta.url), 'utf8'),
) as {
  alerts: Record<string, unknown>[];
} & Record<string, unknown>;
const resolved = {
  ...body,
  status: 'resolved',
  alerts: body.alerts.map((a) => ({ ...a, status: 'resolved' })),
};

/** One server for the alert source (`/api/v2/alerts`) and the health check (`/<target>/healthz`). */
async function slowWorld(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    setTimeout(() => {
      const json = req.url?.startsWith('/api/v2/alerts') ? '[]' : '{"status":"ok"}';
      res.writeHead(200, { 'content-type': 'application/json' }).end(json);
    }, RTT_MS);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, server };
}

function configText(url: string): string {
  return `version: 1
alert_source: { type: alertmanager, urls: ["${url}"] }
services:
  checkout:
    targets: [us-east-1, us-west-2]
    state: { file: ${STATE_PATH}, key: checkout_active_region }
    alerts:
      - matchers: ['alertname="RegionDown"']
        target_label: region
    automation: { on_alert: pr }
    preflight:
      checks:
        - name: healthz
          http: { url: "${url}/{target}/healthz" }
`;
}

export default async function (): Promise<Figures> {
  const double = await startGitHubDouble();
  const world = await slowWorld();
  const millis: number[] = [];
  // Labels go on off the critical path; they are awaited before the double closes.
  const offPath: Promise<unknown>[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const repo = `infra-world-${i}`;
      double.setLatency(0);
      double.state.seed('acme', repo, {
        '.github/failover.yml': configText(world.url),
        [STATE_PATH]: STATE_TEXT,
      });
      const port = createGitHubPort({ client: doubleClient(double), owner: 'acme', repo });
      const service = createAlertService({
        portFor: () => port,
        now: () => Date.parse('2026-11-26T03:10:00Z'),
        log: { info() {}, warn() {}, error() {} },
        world: createLiveWorldReader({ env: {} }),
        background: (task) => offPath.push(task.catch(() => undefined)),
      });
      // Warm: a running bot has seen this repo (config cached by the port, remembered by the world view).
      await service.handle({ owner: 'acme', repo, body: resolved, receivedAt: '2026-11-26T03:09:00Z' });
      double.setLatency(RTT_MS);
      const started = performance.now();
      const answer = await service.handle({ owner: 'acme', repo, body, receivedAt: '2026-11-26T03:10:00Z' });
      const elapsed = performance.now() - started;
      const decisions = answer.json.decisions as { action: string; pr?: number }[] | undefined;
      if (answer.status !== 200 || decisions?.[0]?.action !== 'open-pr' || decisions[0].pr === undefined)
        throw new Error(`expected a new PR, got ${JSON.stringify(answer.json)}`);
      millis.push(elapsed);
    }
  } finally {
    await Promise.all(offPath);
    world.server.closeAllConnections();
    world.server.close();
    await double.close();
  }
  millis.sort((a, b) => a - b);
  return {
    alert_to_pr_ms_with_world_view_at_100ms_rtt: {
      value: Math.round(millis[Math.floor(millis.length / 2)] ?? 0),
      unit: 'ms',
      budget: 600,
    },
  };
}
