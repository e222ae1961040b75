// Storm (DESIGN §9): 1,000 duplicate Alertmanager notifications for one service within 10 s, spread over
// two bot replicas (two Probot servers) that share ONE GitHub double, as two pods behind a load balancer.
//
// Set-up: the double is seeded from examples/infra-repo; the payload is examples/alerts/alertmanager-
// region-down.json (RegionDown for checkout in us-east-1 from two probes, so quorum holds) with startsAt
// moved to 5 minutes before the run (stabilize holds). Both replicas run in ONE child process (bundled
// with esbuild like the container image); the double and this load generator run here.
// GitHub latency: the double adds 100 ms to every call (STORM_LATENCY_MS to change it). Each replica
// warms up at start-up as production does (bot/warmup.ts: tokens, installation ids, config), so the
// first answers pay a snapshot, the PR and the merge, not a token or installation round trip.
// Load: notification i is sent at t0 + 10 ms·i to replica i mod 2, with at most 50 in flight (a send
// waits for a free slot; its latency is measured from when it is sent to when its answer is read).
// Figures:
// - storm_prs: pull requests in the repo afterwards.
// - storm_github_calls: every call the double logged from the first notification to the last answer,
//   except the one-time app-level calls of each replica's first contact with the installation
//   (`GET /repos/:o/:r/installation` with the app JWT and `POST /app/installations/:n/access_tokens`);
//   the full breakdown is printed on stderr.
// - storm_p99_ms: 99th percentile of answer latency (nearest rank).
// - storm_peak_rss_mb: peak VmRSS of the child process running BOTH replicas, sampled every 50 ms from
//   /proc/<pid>/status during the storm (an upper bound for one replica); VmHWM is printed too.
import { readFileSync } from 'node:fs';
import { startBotReplicas } from '../test/helpers/bot-replicas.js';
import { startGitHubDouble } from '../test/helpers/github-double/index.js';
import type { Figures } from './run.js';

const TOKEN = 'storm-bench-token';
const NOTIFICATIONS = 1_000;
const SPREAD_MS = 10_000;
const MAX_IN_FLIGHT = 50;
/** Latency the double adds to every GitHub call (STORM_LATENCY_MS; default 100 ms, as DESIGN §9's alert → PR budget). */
const LATENCY_MS = Number(process.env.STORM_LATENCY_MS ?? 100);
/** App-level calls made once per replica when it first meets the installation (JWT + token mint). */
const ONE_TIME = new Set(['GET /repos/:o/:r/installation', 'POST /app/installations/:n/access_tokens']);

function stormPayload(): string {
  const body = JSON.parse(readFileSync('examples/alerts/alertmanager-region-down.json', 'utf8')) as {
    alerts: { startsAt: string }[];
  };
  const startsAt = new Date(Date.now() - 5 * 60_000).toISOString();
  for (const alert of body.alerts) alert.startsAt = startsAt;
  return JSON.stringify(body);
}

export function nearestRank(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.ceil(sorted.length * p) - 1)] ?? Number.NaN;
}

export default async function (): Promise<Figures> {
  const double = await startGitHubDouble({ latencyMs: LATENCY_MS });
  const infra = double.state.seedFromDirectory('acme', 'infra', 'examples/infra-repo');
  // The replicas warm up as production does (tokens, installation ids, config) before the storm starts.
  const replicas = await startBotReplicas({
    githubUrl: double.url,
    count: 2,
    env: { FAILOVER_ALERT_TOKENS: TOKEN },
    warmUp: 'await',
  });
  const payload = stormPayload();
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const prNumbers = new Set<number | undefined>();
  /** The first answer of each non-200 status, printed: a figure outside budget says why at once. */
  const firstOther = new Map<number, string>();
  let peakBytes = 0;
  let samples = 0;
  let hwmBytes = 0;
  let logLines = 0;
  const callsBefore = double.calls.length;
  try {
    const sampler = replicas.sampleRss(50);
    let inFlight = 0;
    const slotFreed: (() => void)[] = [];
    const pending: Promise<void>[] = [];
    const t0 = performance.now();
    for (let i = 0; i < NOTIFICATIONS; i++) {
      const due = t0 + (i * SPREAD_MS) / NOTIFICATIONS;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      while (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((r) => slotFreed.push(r));
      inFlight++;
      const url = `${replicas.urls[i % replicas.urls.length]}/failover/v1/alerts/acme/infra`;
      const sent = performance.now();
      pending.push(
        fetch(url, {
          method: 'POST',
          body: payload,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
        })
          .then(async (res) => {
            const json = (await res.json()) as { decisions?: { pr?: number }[] };
            latencies.push(performance.now() - sent);
            if (res.status !== 200 && !firstOther.has(res.status))
              firstOther.set(res.status, JSON.stringify(json).slice(0, 300));
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
            for (const d of json.decisions ?? []) prNumbers.add(d.pr);
          })
          .catch(() => {
            latencies.push(performance.now() - sent);
            statuses.set(0, (statuses.get(0) ?? 0) + 1);
          })
          .finally(() => {
            inFlight--;
            slotFreed.shift()?.();
          }),
      );
    }
    await Promise.all(pending);
    const sampled = sampler.stop();
    peakBytes = sampled.peakBytes;
    samples = sampled.samples;
    hwmBytes = replicas.hwmBytes();
  } finally {
    logLines = (await replicas.close()).logLines;
    await double.close();
  }

  const storm = double.calls.slice(callsBefore);
  const counted = storm.filter((c) => !ONE_TIME.has(c.name));
  const breakdown: Record<string, number> = {};
  for (const c of storm) breakdown[`${c.name} ${c.status}`] = (breakdown[`${c.name} ${c.status}`] ?? 0) + 1;
  latencies.sort((a, b) => a - b);
  const mb = (b: number) => Math.round((b / 1024 / 1024) * 10) / 10;
  process.stderr.write(
    `  storm: answers ${JSON.stringify(Object.fromEntries(statuses))}, PR numbers in answers ${JSON.stringify([...prNumbers])}\n` +
      `  storm: GitHub calls ${storm.length} in all, ${counted.length} counted: ${JSON.stringify(breakdown)}\n` +
      `  storm: latency p50 ${Math.round(nearestRank(latencies, 0.5))} ms, max ${Math.round(latencies.at(-1) ?? 0)} ms; ` +
      `child RSS peak ${mb(peakBytes)} MB over ${samples} samples, VmHWM ${mb(hwmBytes)} MB; ${logLines} log lines\n`,
  );
  if ((statuses.get(200) ?? 0) !== NOTIFICATIONS)
    process.stderr.write(
      `  storm: WARNING not every notification was answered 200: ${JSON.stringify(Object.fromEntries(firstOther))}\n`,
    );
  return {
    storm_prs: { value: infra.pulls.size, unit: 'PRs', budget: 1 },
    storm_github_calls: { value: counted.length, unit: 'calls', budget: 16 },
    storm_p99_ms: { value: Math.round(nearestRank(latencies, 0.99)), unit: 'ms', budget: 600 },
    storm_peak_rss_mb: { value: mb(peakBytes), unit: 'MB', budget: 200 },
  };
}
