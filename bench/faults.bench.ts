// Faults (DESIGN §9): 30% of GitHub calls fail, and every alert must still end in exactly one PR.
//
// Set-up: 20 repos acme/infra-00..19, each seeded from examples/infra-repo, one incident each (the
// example RegionDown for checkout, startsAt 5 minutes before the run, a fingerprint of its own per repo).
// Two bot replicas (one child process, as in the storm bench) share one GitHub double that fails each
// call with probability 0.3 (seeded, reproducible), rotating 502, 503 and 403 secondary rate limit with
// `retry-after: 1`. Every call is subject to faults, including installation lookups and token mints.
// The port retries with the bot's production policy (BOT_PORT_RETRY in bot/index.ts, honouring
// retry-after), with its sleeps divided by 20 so the run takes seconds, not minutes.
// Senders: each incident is delivered by an Alertmanager HA pair (two senders, the same notification),
// each attempt going to the next replica round-robin (a load balancer). Like Alertmanager, a sender
// retries any 5xx with exponential backoff (100 ms doubling, capped at 2 s, up to 12 attempts) and stops
// at the first non-5xx answer.
// Figures: faults_alerts_without_pr (incidents whose repo has no failover PR afterwards) and
// faults_duplicate_prs (PRs beyond the first, summed over repos). The answers are printed on stderr.
import { readFileSync } from 'node:fs';
import { startBotReplicas } from '../test/helpers/bot-replicas.js';
import { startGitHubDouble } from '../test/helpers/github-double/index.js';
import type { Figures } from './run.js';

const TOKEN = 'faults-bench-token';
const INCIDENTS = 20;
const FAILURE_RATE = 0.3;
const MAX_ATTEMPTS = 12;

/** The example notification for one repo: its own fingerprints, startsAt 5 minutes ago. */
function incidentPayload(index: number, startsAt: string): string {
  const body = JSON.parse(readFileSync('examples/alerts/alertmanager-region-down.json', 'utf8')) as {
    alerts: { startsAt: string; fingerprint: string }[];
  };
  body.alerts.forEach((alert, i) => {
    alert.startsAt = startsAt;
    alert.fingerprint = `${index.toString(16).padStart(4, '0')}${i}`.padEnd(16, 'f');
  });
  return JSON.stringify(body);
}

/** Park–Miller LCG: the same faults on every run. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 48_271) % 2_147_483_647;
    return state / 2_147_483_647;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export default async function (): Promise<Figures> {
  const double = await startGitHubDouble();
  const repos = Array.from({ length: INCIDENTS }, (_, i) =>
    double.state.seedFromDirectory('acme', `infra-${String(i).padStart(2, '0')}`, 'examples/infra-repo'),
  );
  const replicas = await startBotReplicas({
    githubUrl: double.url,
    count: 2,
    env: { FAILOVER_ALERT_TOKENS: TOKEN },
    sleepDivisor: 20,
  });
  double.setFaults({
    probability: FAILURE_RATE,
    random: seededRandom(Number(process.env.FAULTS_SEED ?? 20_261_126)),
    kinds: [
      { status: 502 },
      { status: 403, retryAfter: 1, message: 'You have exceeded a secondary rate limit.' },
      { status: 503 },
      { status: 403, retryAfter: 1, message: 'You have exceeded a secondary rate limit.' },
    ],
  });
  const startsAt = new Date(Date.now() - 5 * 60_000).toISOString();
  const answers = new Map<string, number>();
  const finals: string[] = [];
  const lastAnswer = new Map<string, string>();
  let next = 0;
  const started = performance.now();
  try {
    const deliver = async (repo: string, payload: string, sender: string) => {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const url = `${replicas.urls[next++ % replicas.urls.length]}/failover/v1/alerts/acme/${repo}`;
        let status = 0;
        try {
          const res = await fetch(url, {
            method: 'POST',
            body: payload,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
          });
          const text = await res.text();
          status = res.status;
          if (status === 200) lastAnswer.set(repo, text);
        } catch {
          status = 0;
        }
        answers.set(String(status), (answers.get(String(status)) ?? 0) + 1);
        if (status > 0 && status < 500) {
          finals.push(`${repo}/${sender}: ${status} after ${attempt + 1}`);
          return;
        }
        await sleep(Math.min(2_000, 100 * 2 ** attempt));
      }
      finals.push(`${repo}/${sender}: gave up after ${MAX_ATTEMPTS}`);
    };
    await Promise.all(
      repos.flatMap((r, i) => {
        const payload = incidentPayload(i, startsAt);
        return ['am-0', 'am-1'].map((sender) => deliver(r.name, payload, sender));
      }),
    );
  } finally {
    double.setFaults(undefined);
    await replicas.close();
    await double.close();
  }

  const faulted = double.calls.filter((c) => c.faulted).length;
  const withoutPr = repos.filter((r) => r.pulls.size === 0);
  const merged = repos.filter((r) => [...r.pulls.values()].some((p) => p.merged)).length;
  process.stderr.write(
    `  faults: ${double.calls.length} GitHub calls, ${faulted} faulted (${Math.round((100 * faulted) / Math.max(1, double.calls.length))}%); ` +
      `answers ${JSON.stringify(Object.fromEntries(answers))}; ${merged}/${INCIDENTS} PRs merged; ` +
      `${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
  const notOk = finals.filter((f) => !/: 200 after/.test(f));
  if (notOk.length > 0) process.stderr.write(`  faults: deliveries not ending in 200: ${notOk.join('; ')}\n`);
  for (const r of repos) {
    if (r.pulls.size > 0 && ![...r.pulls.values()].some((p) => p.merged))
      process.stderr.write(
        `  faults: ${r.name} PR not merged; last answer: ${lastAnswer.get(r.name)?.slice(0, 400)}\n`,
      );
  }
  if (withoutPr.length > 0)
    process.stderr.write(`  faults: without PR: ${withoutPr.map((r) => r.name).join(', ')}\n`);
  return {
    faults_alerts_without_pr: { value: withoutPr.length, unit: 'alerts', budget: 0 },
    faults_duplicate_prs: {
      value: repos.reduce((n, r) => n + Math.max(0, r.pulls.size - 1), 0),
      unit: 'PRs',
      budget: 0,
    },
  };
}
