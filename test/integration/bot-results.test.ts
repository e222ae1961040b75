// The results loop end to end through probot.receive: a failover PR opened by ChatOps, "the Action"
// simulated by merging in the GitHub double and delivering its check run (GitHub's check_run fixtures
// with a verify record), then what the bot does: timeline, sticky result, rollback, drill legs, report.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseMarker, TIMELINE_START } from '../../src/core/render/index.js';
import {
  botComments,
  type ChatOpsWorld,
  checkRunPayload,
  mutations,
  type ReceivingBot,
  STATE_FILE,
  startChatOpsWorld,
  type VerifyRecordInput,
  workflowRunPayload,
} from '../helpers/bot-receive.js';
import type { GitHubDouble, Pull, RepoState } from '../helpers/github-double/index.js';

let double: GitHubDouble;
let bot: ReceivingBot;
let infra: RepoState;
let say: ChatOpsWorld['say'];
let failoverPrs: ChatOpsWorld['failoverPrs'];

beforeEach(async () => {
  ({ double, bot, infra, say, failoverPrs } = await startChatOpsWorld());
});

afterEach(async () => {
  await double.close();
});

const newest = () => failoverPrs().at(-1) as Pull;

/** Opens a failover PR by command and merges it as a reviewer would: the merge commit is what the Action applies. */
async function openAndMerge(command: string): Promise<{ pr: Pull; sha: string }> {
  await say(command);
  const pr = newest();
  const commit = double.state.merge(infra, pr, 'squash');
  return { pr, sha: commit.sha };
}

const TO_WEST = [{ service: 'checkout', from: 'us-east-1', to: 'us-west-2' }];

/** The Action's verify check run for a checkout flip to us-west-2, merged from `pr` as `sha`. */
const checkoutRun = (
  merged: { pr: Pull; sha: string },
  rec: Omit<VerifyRecordInput, 'sha' | 'pr' | 'changes'>,
) => checkRunPayload(infra, { sha: merged.sha, pr: merged.pr.number, changes: TO_WEST, ...rec });

const activeRegion = () =>
  JSON.parse(double.state.files(infra)[STATE_FILE] ?? '{}') as Record<string, string>;

describe('verify check run → timeline and sticky result', () => {
  it('fills the PR timeline (applied, verified, RTO) keeping the marker, and posts one sticky result', async () => {
    const merged = await openAndMerge('/failover checkout us-west-2');
    const { pr } = merged;
    const markerBefore = parseMarker(pr.body);
    const payload = checkoutRun(merged, {
      verified: true,
      appliedAt: '2026-11-26T04:10:00.000Z',
      verifiedAt: '2026-11-26T04:10:30.000Z',
      rtoSeconds: 630,
    });
    await bot.receive('check_run', payload);
    expect(parseMarker(pr.body)).toEqual(markerBefore);
    expect(pr.body).toContain(TIMELINE_START);
    expect(pr.body).toMatch(/\| merged \| 2026-11-26 \d\d:\d\d:\d\dZ/);
    expect(pr.body).toMatch(/\| applied \| 2026-11-26 04:10:00Z/);
    expect(pr.body).toMatch(/\| verified \| 2026-11-26 04:10:30Z/);
    expect(pr.body).toContain('RTO (alert start → verified)');
    const results = botComments(infra, pr.number);
    expect(results).toHaveLength(1);
    expect(results[0]).toContain('Failover applied and verified');
    expect(results[0]).toContain('**RTO:** 10m 30s (command → verified)');

    // A redelivery edits nothing and adds no comment, and is not counted again.
    const before = double.calls.length;
    await bot.receive('check_run', payload);
    expect(botComments(infra, pr.number)).toHaveLength(1);
    expect(mutations(double, before)).toEqual([]);
    const metrics = await bot.metrics.registry.metrics();
    expect(metrics).toContain('failover_verification_duration_seconds_sum{outcome="verified"} 30');
    expect(metrics).toContain('failover_verification_duration_seconds_count{outcome="verified"} 1');
    expect(metrics).toContain('failover_recovery_time_seconds_sum{kind="manual"} 630');
    expect(metrics).toContain('failover_recovery_time_seconds_count{kind="manual"} 1');
  });

  it('ignores check runs with another name, and verify runs without a record', async () => {
    const { sha } = await openAndMerge('/failover checkout us-west-2');
    const before = double.calls.length;
    const rec = { sha, changes: TO_WEST, verified: true };
    await bot.receive('check_run', checkRunPayload(infra, rec, 'Octocoders-linter'));
    const bare = checkRunPayload(infra, rec);
    (bare.check_run as { output: { summary: string } }).output.summary = 'no record here';
    await bot.receive('check_run', bare);
    expect(double.calls.slice(before)).toEqual([]);
  });
});

describe('failed verification', () => {
  it('opens and merges a rollback PR for a reversible service', async () => {
    const merged = await openAndMerge('/failover checkout us-west-2');
    const { pr } = merged;
    expect(activeRegion().checkout_active_region).toBe('us-west-2');
    const failedRun = checkoutRun(merged, {
      verified: false,
      failure: 'verification failed for checkout on us-west-2',
    });
    await bot.receive('check_run', failedRun);
    const rollback = newest();
    expect(rollback.number).not.toBe(pr.number);
    expect(rollback.labels).toEqual(expect.arrayContaining(['failover', 'failover:rollback']));
    const marker = parseMarker(rollback.body);
    expect(marker?.kind).toBe('rollback');
    expect(marker?.rollbackOf).toBe(pr.number);
    expect(marker?.changes).toEqual([{ service: 'checkout', from: 'us-west-2', to: 'us-east-1' }]);
    expect(rollback.merged).toBe(true);
    expect(activeRegion().checkout_active_region).toBe('us-east-1');
    expect(pr.body).toMatch(/\| failed \| .*verification failed for checkout on us-west-2/);
    expect(botComments(infra, pr.number).at(-1)).toContain(`Rollback PR #${rollback.number} opened`);
    expect(pr.body).toMatch(new RegExp(`\\| rolled back \\| .*\\(#${rollback.number}\\)`));

    // GitHub redelivers the same check run: nothing more happens (no second rollback, no edits).
    const before = double.calls.length;
    const prs = failoverPrs().length;
    await bot.receive('check_run', failedRun);
    expect(failoverPrs()).toHaveLength(prs);
    expect(mutations(double, before)).toEqual([]);
  });

  it('never rolls back a database: a result comment says why, no PR', async () => {
    const { pr, sha } = await openAndMerge('/failover orders-db db-b');
    const prsBefore = failoverPrs().length;
    await bot.receive(
      'check_run',
      checkRunPayload(infra, {
        sha,
        pr: pr.number,
        changes: [{ service: 'orders-db', from: 'db-a', to: 'db-b' }],
        verified: false,
        failure: 'replication lag 40s',
      }),
    );
    expect(failoverPrs()).toHaveLength(prsBefore);
    expect(activeRegion().orders_db_primary).toBe('db-b');
    expect(botComments(infra, pr.number).at(-1)).toContain(
      'No automatic rollback: orders-db is a database: never rolled back automatically',
    );
  });
});

describe('drills', () => {
  it('failover leg verified → failback PR merged → failback verified → report with both RTOs on the origin PR', async () => {
    const drill = await openAndMerge('/failover drill checkout us-west-2');
    const origin = drill.pr;
    expect(parseMarker(origin.body)?.drill).toEqual({ leg: 'failover', before: { checkout: 'us-east-1' } });
    await bot.receive(
      'check_run',
      checkoutRun(drill, {
        verified: true,
        verifiedAt: '2026-11-26T04:00:42.000Z',
        rtoSeconds: 42,
        kind: 'drill',
      }),
    );
    const failback = newest();
    expect(failback.number).not.toBe(origin.number);
    expect(failback.labels).toContain('failover:drill');
    expect(failback.merged).toBe(true);
    const fm = parseMarker(failback.body);
    expect(fm?.drill?.leg).toBe('failback');
    expect(fm?.drill?.originPr).toBe(origin.number);
    expect(fm?.drill?.failoverLeg?.rtoSeconds).toBe(42);
    expect(activeRegion().checkout_active_region).toBe('us-east-1');

    await bot.receive(
      'check_run',
      checkRunPayload(infra, {
        sha: failback.mergeCommitSha as string,
        pr: failback.number,
        changes: [{ service: 'checkout', from: 'us-west-2', to: 'us-east-1' }],
        verified: true,
        verifiedAt: '2026-11-26T04:02:00.000Z',
        rtoSeconds: 31,
        kind: 'drill',
      }),
    );
    const report = botComments(infra, origin.number).find((c) => c.includes('Drill report'));
    expect(report).toBeDefined();
    expect(report).toMatch(new RegExp(`\\| failover \\| #${origin.number} \\| .* \\| 42s \\|`));
    expect(report).toMatch(new RegExp(`\\| failback \\| #${failback.number} \\| .* \\| 31s \\|`));
    // The drill command was given at 04:00:00 (the bot's clock); the failback verified at 04:02:00.
    expect(report).toContain('**Total drill duration** (command → failback verified): 2m');
    // No third leg.
    expect(failoverPrs().filter((p) => p.state === 'open')).toHaveLength(0);
  });
});

describe('workflow_run.completed', () => {
  it('comments with the run link when the Action failed before verifying', async () => {
    const { pr, sha } = await openAndMerge('/failover checkout us-west-2');
    await bot.receive('workflow_run', workflowRunPayload(infra, sha, 'failure'));
    const last = botComments(infra, pr.number).at(-1) ?? '';
    expect(last).toContain('The failover Action failed before verifying');
    expect(last).toContain('https://github.com/acme/infra/actions/runs/4242');
  });

  it('ignores a failed run on a PR branch (the plan run): nothing is applied there', async () => {
    await say('/failover checkout us-west-2');
    const pr = newest();
    const head = double.state.headSha(infra, pr.head) as string;
    const before = double.calls.length;
    await bot.receive('workflow_run', workflowRunPayload(infra, head, 'failure', pr.head));
    expect(double.calls.slice(before)).toEqual([]);
    expect(botComments(infra, pr.number)).toHaveLength(0);
  });

  it('stays quiet on success, and when the verify check run already reported', async () => {
    const merged = await openAndMerge('/failover checkout us-west-2');
    const { pr, sha } = merged;
    await bot.receive('workflow_run', workflowRunPayload(infra, sha, 'success'));
    expect(botComments(infra, pr.number)).toHaveLength(0);
    await bot.receive(
      'check_run',
      checkoutRun(merged, {
        verified: false,
        failure: 'health check 503',
      }),
    );
    const count = botComments(infra, pr.number).length;
    await bot.receive('workflow_run', workflowRunPayload(infra, sha, 'failure'));
    expect(botComments(infra, pr.number)).toHaveLength(count);
  });
});
