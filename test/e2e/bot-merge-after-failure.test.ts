// A failover PR whose merge failed must still be merged by the next notification when the config lets
// alerts merge (on_alert: merge). Found by bench/faults.bench.ts: the first answer opened the PR, GitHub
// failed the merge (503 to the sender), the next notification found the PR open and only updated it
// ("update-pr"), and since its 200 is remembered for the retry of the first sender, nothing merged it.
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createGitHubPort } from '../../src/github/index.js';
import { type BotHarness, startBot } from '../helpers/bot-harness.js';
import { type GitHubDouble, type RepoState, startGitHubDouble } from '../helpers/github-double/index.js';

const TOKEN = 'merge-after-failure-token';
let double: GitHubDouble;
let bot: BotHarness;
let infra: RepoState;

beforeEach(async () => {
  double = await startGitHubDouble();
  infra = double.state.seedFromDirectory('acme', 'infra', 'examples/infra-repo');
  bot = await startBot({
    githubUrl: double.url,
    env: { FAILOVER_ALERT_TOKENS: TOKEN },
    app: {
      recentWindowMs: 0,
      portFactory: (client, owner, repo) =>
        createGitHubPort({ client, owner, repo, retry: { retries: 0, baseMs: 1 }, sleep: async () => {} }),
    },
  });
});

afterEach(async () => {
  await bot.close();
  await double.close();
});

function regionDown(): string {
  const body = JSON.parse(readFileSync('examples/alerts/alertmanager-region-down.json', 'utf8')) as {
    alerts: { startsAt: string }[];
  };
  for (const alert of body.alerts) alert.startsAt = new Date(Date.now() - 5 * 60_000).toISOString();
  return JSON.stringify(body);
}

const post = async (body: string) => {
  const res = await fetch(`${bot.url}/failover/v1/alerts/acme/infra`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
  });
  return { status: res.status, json: (await res.json()) as { decisions?: Record<string, unknown>[] } };
};

it('merges the open failover PR on the next notification after its merge failed', async () => {
  const body = regionDown();
  double.setFaults({ probability: 1, kinds: [{ status: 502 }], match: (n) => n.endsWith('/merge') });
  const first = await post(body);
  expect(first.status).toBe(503);
  const pr = infra.pulls.get(1);
  expect(pr?.state).toBe('open');

  double.setFaults(undefined);
  const second = await post(body);
  expect(second.status).toBe(200);
  expect(second.json.decisions).toEqual([
    expect.objectContaining({
      action: 'update-pr',
      pr: 1,
      merge: expect.objectContaining({ outcome: 'merged' }),
    }),
  ]);
  expect(pr?.merged).toBe(true);
  expect(infra.pulls.size).toBe(1);
  expect(JSON.parse(double.state.files(infra)['envs/prod/failover.auto.tfvars.json'] ?? '{}')).toMatchObject({
    checkout_active_region: 'us-west-2',
  });
});

it('only updates the open PR when the config lets alerts open PRs but not merge them', async () => {
  const config = double.state.files(infra)['.github/failover.yml'] ?? '';
  double.state.push(infra, 'main', {
    '.github/failover.yml': config.replace('on_alert: merge', 'on_alert: pr'),
  });
  const body = regionDown();
  expect((await post(body)).status).toBe(200);
  const second = await post(body);
  expect(second.json.decisions).toEqual([expect.objectContaining({ action: 'update-pr', pr: 1 })]);
  expect(second.json.decisions?.[0]?.merge).toBeUndefined();
  expect(infra.pulls.get(1)?.state).toBe('open');
  expect(double.calls.filter((c) => c.name.endsWith('/merge'))).toEqual([]);
});
