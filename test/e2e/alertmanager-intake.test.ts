// The real Prometheus Alertmanager (Debian's 0.25) delivering to the real bot HTTP server (Probot's
// Server with createFailoverApp) backed by the GitHub double seeded from examples/infra-repo. This is
// the path production takes: Alertmanager groups, formats, authenticates and retries; nothing here
// builds a webhook body by hand.
//
// The example config routes `alertname="RegionDown", service=~"checkout|all"` to checkout with the
// failing region in `region`, and needs severity >= critical, two distinct `probe` values firing
// together, and 2m of firing since startsAt (stabilize). The alerts below start 5 minutes ago.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alertmanagerMissing, type RunningAlertmanager, startAlertmanager } from '../helpers/alertmanager.js';
import { type BotHarness, startBot } from '../helpers/bot-harness.js';
import {
  APP_BOT,
  type GitHubDouble,
  type RepoState,
  startGitHubDouble,
} from '../helpers/github-double/index.js';
import { waitFor } from '../helpers/ports.js';

const TOKEN = 'am-e2e-token-4c1d8e';
const STATE_FILE = 'envs/prod/failover.auto.tfvars.json';
const missing = alertmanagerMissing();
if (missing) console.warn(`skipping the Alertmanager end-to-end tests: ${missing}`);

let double: GitHubDouble;
let bot: BotHarness;
let infra: RepoState;
let am: RunningAlertmanager | undefined;

beforeEach(async () => {
  double = await startGitHubDouble();
  infra = double.state.seedFromDirectory('acme', 'infra', 'examples/infra-repo');
  bot = await startBot({ githubUrl: double.url, env: { FAILOVER_ALERT_TOKENS: TOKEN } });
});

afterEach(async () => {
  await am?.stop();
  am = undefined;
  await bot.close();
  await double.close();
});

const webhookUrl = () => `${bot.url}/failover/v1/alerts/acme/infra`;
const startedAt = new Date(Date.now() - 5 * 60_000).toISOString();

/** RegionDown for checkout in us-east-1, seen by two independent probes (the config's quorum). */
function regionDown(endsAt?: string) {
  return ['us-west-2', 'eu-west-1'].map((probe) => ({
    labels: {
      alertname: 'RegionDown',
      service: 'checkout',
      region: 'us-east-1',
      severity: 'critical',
      probe,
    },
    annotations: { summary: `checkout is unreachable in us-east-1 (probe ${probe})` },
    startsAt: startedAt,
    ...(endsAt ? { endsAt } : {}),
  }));
}

const metricsText = async () => (await fetch(`${bot.url}/metrics`)).text();
const prs = () => [...infra.pulls.values()];
const stateAt = (sha: string) =>
  JSON.parse(infra.commits.get(sha)?.tree.get(STATE_FILE) ?? '{}') as Record<string, unknown>;
const mainState = () => stateAt(double.state.headSha(infra) ?? '');
const commentsOn = (n: number) => [...infra.comments.values()].filter((c) => c.issueNumber === n);

describe.skipIf(missing !== undefined)('real Alertmanager → real bot → GitHub double', () => {
  it('opens one failover PR held for required checks, and closes it when the alerts resolve', {
    timeout: 120_000,
  }, async () => {
    // Required checks pending: the bot cannot merge, so it enables auto-merge and the PR stays open.
    infra.flags.requiredChecksPending = true;
    am = await startAlertmanager({ webhookUrl: webhookUrl(), bearerToken: TOKEN });
    await am.fire(regionDown());
    await waitFor(async () => (prs()[0]?.labels.length ?? 0) >= 2, 30_000, 'the failover PR and its labels');

    expect(prs()).toHaveLength(1);
    const pr = prs()[0];
    if (!pr) throw new Error('no PR');
    expect(pr).toMatchObject({
      head: 'failover/checkout',
      base: 'main',
      state: 'open',
      merged: false,
      title: 'Failover checkout: us-east-1 → us-west-2',
      autoMerge: { mergeMethod: 'SQUASH' },
    });
    expect(pr.labels).toEqual(expect.arrayContaining(['failover', 'failover:auto']));
    expect(pr.body).toContain('<!-- gitops-failover ');
    // The PR's commit flips exactly the checkout key, made by the App (signed, via GraphQL).
    const head = infra.commits.get(double.state.pullHeadSha(infra, pr));
    expect(head?.author).toEqual(APP_BOT);
    expect(stateAt(head?.sha ?? '')).toMatchObject({ checkout_active_region: 'us-west-2' });
    expect(mainState()).toMatchObject({ checkout_active_region: 'us-east-1' });
    expect(double.counters()['graphql FailoverOpenPr']).toBe(1);

    // The incident ends: Alertmanager sends the group again as resolved (send_resolved: true).
    await am.fire(regionDown(new Date().toISOString()));
    await waitFor(async () => pr.state === 'closed', 30_000, 'the failover PR to be closed');
    // closePr deletes the branch right after closing; the test sees the PR closed a moment before that.
    await waitFor(
      async () => !infra.refs.has('refs/heads/failover/checkout'),
      30_000,
      'the failover branch to be deleted',
    );

    expect(pr.merged).toBe(false);
    expect(infra.refs.has('refs/heads/failover/checkout')).toBe(false);
    expect(commentsOn(pr.number).map((c) => c.body)).toEqual([
      expect.stringMatching(/resolved before it merged.*cancel_on_resolve/),
    ]);
    expect(mainState()).toMatchObject({ checkout_active_region: 'us-east-1' });
    expect(prs()).toHaveLength(1);
    // The decision is counted as its handling ends, just after the branch deletion the test waited for.
    const closeCounted = /failover_decisions_total\{action="close-pr",reason="policy"\} 1/;
    await waitFor(async () => closeCounted.test(await metricsText()), 30_000, 'the close-pr decision metric');
    const metrics = await metricsText();
    expect(metrics).toMatch(/failover_decisions_total\{action="merge",reason="policy"\} 1/);
    expect(metrics).toMatch(/failover_decisions_total\{action="close-pr",reason="policy"\} 1/);
    expect(metrics).toMatch(/failover_merge_outcomes_total\{outcome="auto-merge"\} 1/);
  });

  it('merges a clean failover PR, and on resolve tells the PR the old primary recovered (no failback)', {
    timeout: 120_000,
  }, async () => {
    am = await startAlertmanager({ webhookUrl: webhookUrl(), bearerToken: TOKEN });
    await am.fire(regionDown());
    await waitFor(async () => prs()[0]?.merged === true, 30_000, 'the failover PR to merge');
    const pr = prs()[0];
    if (!pr) throw new Error('no PR');
    await waitFor(async () => pr.labels.includes('failover'), 30_000, 'the PR labels');
    expect(mainState()).toMatchObject({ checkout_active_region: 'us-west-2' });

    await am.fire(regionDown(new Date().toISOString()));
    await waitFor(async () => commentsOn(pr.number).length > 0, 30_000, 'the recovery comment');

    expect(commentsOn(pr.number).map((c) => c.body)).toEqual([
      expect.stringMatching(/us-east-1 \(the old primary of checkout\) has recovered.*\/failback checkout/s),
    ]);
    // Recovery never fails back by itself: still one PR, main still on the secondary.
    expect(prs()).toHaveLength(1);
    expect(mainState()).toMatchObject({ checkout_active_region: 'us-west-2' });
  });

  it.each([
    { name: 'a wrong bearer token', token: 'am-e2e-token-WRONG', status: 403 },
    { name: 'no bearer token', token: undefined, status: 401 },
  ])('refuses $name with $status and changes nothing on GitHub', async ({ token, status }) => {
    am = await startAlertmanager({ webhookUrl: webhookUrl(), ...(token ? { bearerToken: token } : {}) });
    await am.fire(regionDown());
    const refused = new RegExp(`failover_alerts_received_total\\{source="unknown",code="${status}"\\} \\d+`);
    await waitFor(
      async () => refused.test(await metricsText()),
      30_000,
      `a ${status} answer to Alertmanager`,
    );
    // Alertmanager saw the refusal (it logs the failed notification and retries on the next flush).
    await waitFor(
      async () => am?.logs().includes(`unexpected status code ${status}`) ?? false,
      30_000,
      'Alertmanager to log the refusal',
    );

    // Refused before the installation lookup: GitHub was not asked anything, let alone changed.
    expect(double.calls).toEqual([]);
    expect(prs()).toEqual([]);
    expect([...infra.refs.keys()]).toEqual(['refs/heads/main']);
    const metrics = await metricsText();
    expect(metrics).not.toMatch(/failover_alerts_received_total\{[^}]*code="200"\}/);
    expect(metrics).not.toMatch(/failover_decisions_total\{/);
    expect(bot.logs.join('\n')).not.toContain(TOKEN);
  });
});
