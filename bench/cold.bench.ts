// Cold start: sequential GitHub round trips from the first alert after a bot start to its PR being
// opened, with the start-up warm-up (production) and without it. One bot, the in-memory GitHub, the
// region-down example alert; a trip is a span of overlapping calls in the double's log.
import { readFileSync } from 'node:fs';
import type { CallRecord } from '../src/memory-github/index.js';
import { startBot } from '../test/helpers/bot-harness.js';
import { infraRepoFiles } from '../test/helpers/github-double/fixtures.js';
import { startGitHubDouble } from '../test/helpers/github-double/index.js';
import type { Figures } from './run.js';

const TOKEN = 'cold-bench-token';

function trips(calls: CallRecord[]): number {
  let count = 0;
  let end = Number.NEGATIVE_INFINITY;
  for (const c of [...calls].sort((a, b) => a.startedAt - b.startedAt)) {
    if (c.startedAt >= end) count++;
    end = Math.max(end, c.endedAt);
  }
  return count;
}

async function firstAlertTrips(warmUp: 'await' | 'off'): Promise<number> {
  const double = await startGitHubDouble();
  double.state.seed('acme', 'infra', infraRepoFiles());
  const bot = await startBot({
    githubUrl: double.url,
    env: { FAILOVER_ALERT_TOKENS: TOKEN },
    app: { warmUp },
  });
  try {
    const startsAt = new Date(Date.now() - 600_000).toISOString();
    const body = readFileSync('examples/alerts/alertmanager-region-down.json', 'utf8').replace(
      /"startsAt": "[^"]+"/g,
      `"startsAt": "${startsAt}"`,
    );
    const from = double.calls.length;
    const res = await fetch(`${bot.url}/failover/v1/alerts/acme/infra`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body,
    });
    if (res.status !== 200) throw new Error(`alert answered ${res.status}`);
    const calls = double.calls.slice(from);
    const opened = calls.findIndex((c) => c.name === 'graphql FailoverOpenPr');
    if (opened < 0) throw new Error('no PR opened');
    return trips(calls.slice(0, opened + 1));
  } finally {
    await bot.close();
    await double.close();
  }
}

export default async function (): Promise<Figures> {
  const warm = await firstAlertTrips('await');
  const noWarmUp = await firstAlertTrips('off');
  process.stderr.write(`  cold: first alert → PR ${warm} trips after the warm-up, ${noWarmUp} without it\n`);
  return {
    alert_to_pr_round_trips_cold: { value: warm, unit: 'trips', budget: 2 },
    alert_to_pr_round_trips_no_warmup: { value: noWarmUp, unit: 'trips', budget: 6 },
  };
}
