// The bot end to end (DESIGN §9): real HTTP into two bot instances (Probot's server, our app) sharing one
// GitHub double, as two replicas behind a load balancer would.
// - storm: 1,000 duplicate Alertmanager notifications for one service within 10 s, alternating replicas
//   → PRs opened, GitHub calls in all, p99 answer time, peak RSS of this process (both replicas, the
//   double and the load generator together: an upper bound for one replica).
// - faults: 30% of GitHub calls fail (502, or 403 secondary rate limit with retry-after: 1), 20 distinct
//   incidents (one repo each); the sender retries 5xx like Alertmanager → alerts without a PR, duplicates.
import { readFileSync } from 'node:fs';
import { type BotHarness, startBot } from '../test/helpers/bot-harness.js';
import { infraRepoFiles } from '../test/helpers/github-double/fixtures.js';
import { startGitHubDouble } from '../test/helpers/github-double/index.js';
import type { Figures } from './run.js';

const TOKEN = 'bench-token';
const ALERT = readFileSync('examples/alerts/alertmanager-region-down.json', 'utf8');

const send = (bot: BotHarness, repo: string) =>
  fetch(`${bot.url}/failover/v1/alerts/acme/${repo}`, {
    method: 'POST',
    body: ALERT,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
  });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function storm(): Promise<Figures> {
  const double = await startGitHubDouble();
  const repo = double.state.seed('acme', 'infra', infraRepoFiles());
  const bots = [
    await startBot({ githubUrl: double.url, env: { FAILOVER_ALERT_TOKENS: TOKEN } }),
    await startBot({ githubUrl: double.url, env: { FAILOVER_ALERT_TOKENS: TOKEN } }),
  ];
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 20);
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  try {
    const pending: Promise<void>[] = [];
    // 1,000 notifications: 50 waves of 20, one wave every 200 ms (10 s in all).
    for (let wave = 0; wave < 50; wave++) {
      for (let i = 0; i < 20; i++) {
        const bot = bots[(wave * 20 + i) % 2] as BotHarness;
        const started = performance.now();
        pending.push(
          send(bot, 'infra').then(async (res) => {
            await res.arrayBuffer();
            latencies.push(performance.now() - started);
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          }),
        );
      }
      await sleep(200);
    }
    await Promise.all(pending);
  } finally {
    clearInterval(sampler);
    for (const bot of bots) await bot.close();
    await double.close();
  }
  if (statuses.get(200) !== 1000) throw new Error(`storm answers: ${JSON.stringify([...statuses])}`);
  latencies.sort((a, b) => a - b);
  const p99 = latencies[Math.ceil(latencies.length * 0.99) - 1] ?? Number.NaN;
  return {
    storm_prs: { value: repo.pulls.size, unit: 'PRs', budget: 1 },
    storm_github_calls: { value: double.calls.length, unit: 'calls', budget: 20 },
    storm_p99_ms: { value: Math.round(p99), unit: 'ms', budget: 1000 },
    storm_peak_rss_mb: { value: Math.round(peakRss / 1024 / 1024), unit: 'MB', budget: 200 },
  };
}

async function faults(): Promise<Figures> {
  const double = await startGitHubDouble();
  const repos = Array.from({ length: 20 }, (_, i) =>
    double.state.seed('acme', `infra-${i}`, infraRepoFiles()),
  );
  const bots = [
    await startBot({ githubUrl: double.url, env: { FAILOVER_ALERT_TOKENS: TOKEN } }),
    await startBot({ githubUrl: double.url, env: { FAILOVER_ALERT_TOKENS: TOKEN } }),
  ];
  // Seeded randomness: the run is reproducible.
  let seed = 42;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  double.setFaults({
    probability: 0.3,
    random,
    kinds: [
      { status: 502 },
      { status: 403, retryAfter: 1, message: 'You have exceeded a secondary rate limit' },
    ],
  });
  try {
    // Each incident is sent to both replicas at once (duplicates), and each sender retries 5xx with
    // backoff like Alertmanager until it gets a final answer.
    const sender = async (bot: BotHarness, repo: string) => {
      for (let attempt = 0; attempt < 30; attempt++) {
        const res = await send(bot, repo);
        await res.arrayBuffer();
        if (res.status < 500) return res.status;
        await sleep(Math.min(2_000, 100 * 2 ** attempt));
      }
      return 0;
    };
    await Promise.all(repos.flatMap((r) => bots.map((b) => sender(b, r.name))));
  } finally {
    double.setFaults(undefined);
    for (const bot of bots) await bot.close();
    await double.close();
  }
  return {
    faults_alerts_without_pr: {
      value: repos.filter((r) => r.pulls.size === 0).length,
      unit: 'alerts',
      budget: 0,
    },
    faults_duplicate_prs: {
      value: repos.reduce((n, r) => n + Math.max(0, r.pulls.size - 1), 0),
      unit: 'PRs',
      budget: 0,
    },
  };
}

export default async function (): Promise<Figures> {
  return { ...(await storm()), ...(await faults()) };
}
