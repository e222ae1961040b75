// Faults (DESIGN §9): real HTTP into two bot instances (Probot's server, our app, the production port
// retry settings) sharing one GitHub double, as two replicas behind a load balancer. 30% of GitHub calls
// fail (502, or 403 secondary rate limit with retry-after: 1), 20 distinct incidents (one repo each), each
// sent to both replicas at once; senders retry 5xx with backoff like Alertmanager.
// Figures: faults_alerts_without_pr (incidents that ended without a PR), faults_duplicate_prs (PRs beyond
// one per incident). The storm figures are in storm.bench.ts.
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
  return faults();
}
