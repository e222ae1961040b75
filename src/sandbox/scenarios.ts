// The other stories, run through the same parts as the main one: double failure (refused, the reason
// shown), flapping (cooldown holds), failed verification (rollback PR, nothing merged twice), a drill
// typed as a PR comment (failover, verify, failback, drill report) and a ChatOps failover. Each returns
// its steps and what it showed; `resetSandbox` puts the sandbox back (both regions up, checkout on
// us-east-1, no failover history) so several stories can share one boot.
import type { Pull } from '../memory-github/index.js';
import { readBackend } from './entry-point.js';
import { STATE_FILE } from './policy.js';
import { OPERATOR, PRIMARY, type Sandbox, SECONDARY } from './sandbox.js';
import { mainStory, type StoryResult, stepRecorder, trafficOn, until, verifyCheckRun } from './story.js';

export const SCENARIOS = ['main', 'double-failure', 'flapping', 'failed-verify', 'drill', 'chatops'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface ScenarioResult extends StoryResult {
  scenario: ScenarioName;
  /** What the story showed, one line each (printed, and in the report). */
  outcome: string[];
}

type Say = (line: string) => void;

interface BotDecision {
  at: number;
  service: string;
  action: string;
  from?: string;
  to?: string;
  reasons: string[];
}

/** The bot's `decision` log lines since `since` (its audit trail). */
export function botDecisions(sandbox: Sandbox, since: number): BotDecision[] {
  return sandbox.bot
    .logs()
    .filter((l) => l.event === 'decision')
    .map((l) => ({
      at: typeof l.time === 'number' ? l.time : Date.parse(String(l.time)),
      service: String(l.service ?? ''),
      action: String(l.action ?? ''),
      ...(l.from ? { from: String(l.from) } : {}),
      ...(l.to ? { to: String(l.to) } : {}),
      reasons: Array.isArray(l.reasons) ? l.reasons.map(String) : [],
    }))
    .filter((d) => d.at >= since);
}

async function firing(sandbox: Sandbox, region: string): Promise<boolean | undefined> {
  const alerts = await sandbox.monitoring.alerts();
  return alerts.filter((a) => a.region === region && a.state === 'firing').length >= 2 ? true : undefined;
}

function pulls(sandbox: Sandbox): Pull[] {
  return [...sandbox.repo.pulls.values()];
}

function prByTitle(sandbox: Sandbox, title: string): Pull | undefined {
  return pulls(sandbox).find((p) => p.title === title);
}

/** A refusal of checkout with a reason matching `pattern`, logged after `since`; `reason` is that one. */
async function refusal(
  sandbox: Sandbox,
  since: number,
  pattern: RegExp,
): Promise<BotDecision & { reason: string }> {
  return until(
    () => {
      for (const d of botDecisions(sandbox, since)) {
        const reason = d.reasons.find((r) => pattern.test(r));
        if (d.service === 'checkout' && d.action === 'none' && reason) return { ...d, reason };
      }
      return undefined;
    },
    `the bot to refuse (${pattern.source})`,
    sandbox,
  );
}

async function doubleFailure(sandbox: Sandbox, say: Say): Promise<ScenarioResult> {
  const { steps, mark } = stepRecorder(say);
  await trafficOn(sandbox, PRIMARY);
  // The standby dies first and unnoticed by traffic (it serves none); then the primary.
  await sandbox.regions[SECONDARY]?.stop();
  mark('standby stopped', Date.now(), `${SECONDARY} refuses connections`);
  await until(() => firing(sandbox, SECONDARY), `RegionDown for ${SECONDARY}`, sandbox);
  mark(
    'alert fired',
    Date.now(),
    `RegionDown{region="${SECONDARY}"}: not the active region, nothing to move`,
  );
  const since = Date.now();
  await sandbox.regions[PRIMARY]?.stop();
  mark('primary stopped', since, `${PRIMARY} refuses connections`);
  await until(() => firing(sandbox, PRIMARY), `RegionDown for ${PRIMARY}`, sandbox);
  mark('alert fired', Date.now(), `RegionDown{region="${PRIMARY}"}`);
  const refused = await refusal(sandbox, since, /^target_alerting: /);
  mark('refused', refused.at, refused.reason);
  return {
    scenario: 'double-failure',
    steps,
    outcome: [
      `The bot refused to move checkout: ${refused.reason}`,
      `Pull requests opened: ${pulls(sandbox).length}. HAProxy still routes to ${readBackend(sandbox.entry.mapFile)}.`,
    ],
  };
}

async function flapping(sandbox: Sandbox, say: Say): Promise<ScenarioResult> {
  return flapAfter(sandbox, say, await mainStory(sandbox, say));
}

/** After a failover: the old primary recovers, the new one dies; the cooldown must hold. */
export async function flapAfter(sandbox: Sandbox, say: Say, first: StoryResult): Promise<ScenarioResult> {
  const { steps, mark } = stepRecorder(say);
  steps.push(...first.steps);
  await sandbox.regions[PRIMARY]?.start();
  mark('primary back', Date.now(), `${PRIMARY} answers again`);
  const since = Date.now();
  await sandbox.regions[SECONDARY]?.stop();
  mark('new primary stopped', since, `${SECONDARY} refuses connections`);
  await until(() => firing(sandbox, SECONDARY), `RegionDown for ${SECONDARY}`, sandbox);
  mark('alert fired', Date.now(), `RegionDown{region="${SECONDARY}"}`);
  const refused = await refusal(sandbox, since, /^cooldown: /);
  mark('refused', refused.at, refused.reason);
  return {
    ...first,
    scenario: 'flapping',
    steps,
    outcome: [
      `A second failover within the cooldown was refused: ${refused.reason}`,
      `Pull requests: ${pulls(sandbox).length} (the first failover only). A person can still move traffic with /failover checkout ${PRIMARY}.`,
    ],
  };
}

async function failedVerify(sandbox: Sandbox, say: Say): Promise<ScenarioResult> {
  const { steps, mark } = stepRecorder(say);
  await trafficOn(sandbox, PRIMARY);
  await sandbox.regions[PRIMARY]?.stop();
  mark('primary stopped', Date.now(), `${PRIMARY} refuses connections`);
  const title = `Failover checkout: ${PRIMARY} → ${SECONDARY}`;
  const pr = await until(() => prByTitle(sandbox, title), 'the failover PR', sandbox);
  mark('PR opened', Date.parse(pr.createdAt), `#${pr.number} ${pr.title}`);
  await until(() => (pr.merged ? true : undefined), 'the merge', sandbox);
  // The target breaks right after the flip, while the primary's blip is over.
  sandbox.regions[SECONDARY]?.break();
  await sandbox.regions[PRIMARY]?.start();
  mark('merged', Date.parse(pr.mergedAt ?? ''), `${SECONDARY} now answers 503; ${PRIMARY} is back`);
  const failed = await until(
    () => verifyCheckRun(sandbox, pr.mergeCommitSha ?? ''),
    'the failed check run',
    sandbox,
  );
  mark(
    'verification failed',
    Date.parse(String(failed.completed_at)),
    `check run ${String(failed.conclusion)}`,
  );
  const rollbackTitle = `Rollback checkout: ${SECONDARY} → ${PRIMARY}`;
  const rollback = await until(() => prByTitle(sandbox, rollbackTitle), 'the rollback PR', sandbox);
  mark('rollback PR opened', Date.parse(rollback.createdAt), `#${rollback.number} ${rollback.title}`);
  await until(() => (rollback.merged ? true : undefined), 'the rollback merge', sandbox);
  mark('rollback merged', Date.parse(rollback.mergedAt ?? ''));
  const verified = await until(
    () => verifyCheckRun(sandbox, rollback.mergeCommitSha ?? ''),
    'the rollback check run',
    sandbox,
  );
  mark(
    'rollback verified',
    Date.parse(String(verified.completed_at)),
    `check run ${String(verified.conclusion)}`,
  );
  await sandbox.runner.idle();
  await trafficOn(sandbox, PRIMARY);
  return {
    scenario: 'failed-verify',
    steps,
    pr: rollback,
    checkRun: verified,
    outcome: [
      `Verification of #${pr.number} failed (${SECONDARY} answered 503); the bot opened and merged rollback #${rollback.number}.`,
      `Merged PRs: ${pulls(sandbox).filter((p) => p.merged).length}, each once. HAProxy routes to ${readBackend(sandbox.entry.mapFile)} and ${PRIMARY} answers the traffic.`,
    ],
  };
}

/** A PR a person opened (the operator's drill notes), to type commands on. */
function operatorPr(sandbox: Sandbox, title: string): Pull {
  const { state } = sandbox.github;
  const { repo } = sandbox;
  const branch = `notes/${repo.nextNumber}`;
  const base = state.headSha(repo) ?? '';
  repo.refs.set(`refs/heads/${branch}`, base);
  const commit = state.push(
    repo,
    branch,
    { [`docs/${branch}.md`]: `${title}\n` },
    { login: OPERATOR.login, type: 'User' },
  );
  const number = repo.nextNumber++;
  const pull: Pull = {
    number,
    nodeId: `PR_${repo.id}_${number}`,
    title,
    body: 'Notes for this quarter’s disaster-recovery exercise.',
    head: branch,
    base: repo.defaultBranch,
    state: 'open',
    merged: false,
    lastHeadSha: commit.sha,
    labels: [],
    user: { login: OPERATOR.login, type: 'User' },
    createdAt: state.now(),
  };
  repo.pulls.set(number, pull);
  return pull;
}

/** Types a comment on a PR through the in-memory GitHub's API, as the operator. */
async function comment(sandbox: Sandbox, pr: number, body: string): Promise<void> {
  const res = await fetch(
    `${sandbox.github.url}/repos/${sandbox.repo.owner}/${sandbox.repo.name}/issues/${pr}/comments`,
    {
      method: 'POST',
      headers: { authorization: `token ${OPERATOR.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ body }),
    },
  );
  if (res.status !== 201) throw new Error(`commenting failed: ${res.status} ${await res.text()}`);
}

async function commandStory(sandbox: Sandbox, say: Say, kind: 'drill' | 'chatops'): Promise<ScenarioResult> {
  const { steps, mark } = stepRecorder(say);
  await trafficOn(sandbox, PRIMARY);
  const notes = operatorPr(
    sandbox,
    kind === 'drill' ? 'Q4 disaster-recovery drill' : 'Planned maintenance of us-east-1',
  );
  const command =
    kind === 'drill' ? `/failover drill checkout ${SECONDARY}` : `/failover checkout ${SECONDARY}`;
  const typed = Date.now();
  await comment(sandbox, notes.number, command);
  mark('command typed', typed, `${OPERATOR.login} on #${notes.number}: ${command}`);
  const word = kind === 'drill' ? 'Failover drill' : 'Failover';
  const leg = await until(
    () => prByTitle(sandbox, `${word} checkout: ${PRIMARY} → ${SECONDARY}`),
    'the command PR',
    sandbox,
  );
  mark('PR opened', Date.parse(leg.createdAt), `#${leg.number} ${leg.title}`);
  await until(() => (leg.merged ? true : undefined), 'the merge', sandbox);
  mark('merged', Date.parse(leg.mergedAt ?? ''));
  const first = await until(
    () => verifyCheckRun(sandbox, leg.mergeCommitSha ?? ''),
    'the check run',
    sandbox,
  );
  mark(
    'verified',
    Date.parse(String(first.completed_at)),
    `on ${SECONDARY}: check run ${String(first.conclusion)}`,
  );
  const outcome = [
    `${OPERATOR.login}'s \`${command}\` opened and merged #${leg.number}; traffic moved to ${SECONDARY} and verified.`,
  ];
  if (kind === 'chatops') {
    await sandbox.runner.idle();
    await trafficOn(sandbox, SECONDARY);
    return { scenario: 'chatops', steps, pr: leg, checkRun: first, outcome };
  }
  const back = await until(
    () => prByTitle(sandbox, `${word} checkout: ${SECONDARY} → ${PRIMARY}`),
    'the failback PR',
    sandbox,
  );
  mark('failback PR opened', Date.parse(back.createdAt), `#${back.number} ${back.title}`);
  await until(() => (back.merged ? true : undefined), 'the failback merge', sandbox);
  mark('failback merged', Date.parse(back.mergedAt ?? ''));
  const second = await until(
    () => verifyCheckRun(sandbox, back.mergeCommitSha ?? ''),
    'the failback check run',
    sandbox,
  );
  mark(
    'failback verified',
    Date.parse(String(second.completed_at)),
    `on ${PRIMARY}: check run ${String(second.conclusion)}`,
  );
  const report = await until(
    () =>
      [...sandbox.repo.comments.values()].find(
        (c) => /drill/i.test(c.body) && /report/i.test(c.body) && c.user.type === 'Bot',
      ),
    'the drill report',
    sandbox,
  );
  mark('drill report', Date.parse(report.createdAt), `comment on #${report.issueNumber}`);
  await sandbox.runner.idle();
  await trafficOn(sandbox, PRIMARY);
  return {
    scenario: 'drill',
    steps,
    pr: back,
    checkRun: second,
    outcome: [
      ...outcome,
      `The bot failed back with #${back.number}, verified on ${PRIMARY}, and posted the drill report:`,
      report.body,
    ],
  };
}

export async function runScenario(
  name: ScenarioName,
  sandbox: Sandbox,
  say: Say = () => {},
): Promise<ScenarioResult> {
  switch (name) {
    case 'main':
      return { ...(await mainStory(sandbox, say)), scenario: 'main', outcome: [] };
    case 'double-failure':
      return doubleFailure(sandbox, say);
    case 'flapping':
      return flapping(sandbox, say);
    case 'failed-verify':
      return failedVerify(sandbox, say);
    case 'drill':
      return commandStory(sandbox, say, 'drill');
    case 'chatops':
      return commandStory(sandbox, say, 'chatops');
  }
}

/**
 * Back to the start: both regions up and quiet in Prometheus, no failover history, and checkout on
 * us-east-1 again, applied by the runner from a commit a person pushed (terraform moves HAProxy back).
 */
export async function resetSandbox(sandbox: Sandbox): Promise<void> {
  for (const region of Object.values(sandbox.regions)) await region.start();
  await until(
    async () => ((await sandbox.monitoring.alerts()).length === 0 ? true : undefined),
    'every RegionDown alert to resolve',
    sandbox,
  );
  await sandbox.runner.idle();
  const { repo } = sandbox;
  const { state } = sandbox.github;
  repo.pulls.clear();
  repo.comments.clear();
  repo.checkRuns.clear();
  repo.deployments.clear();
  for (const ref of [...repo.refs.keys()])
    if (ref !== `refs/heads/${repo.defaultBranch}`) repo.refs.delete(ref);
  const current = JSON.parse(state.files(repo)[STATE_FILE] ?? '{}') as Record<string, unknown>;
  if (current.checkout_active_region !== PRIMARY) {
    const text = `${JSON.stringify({ ...current, checkout_active_region: PRIMARY }, null, 2)}\n`;
    state.push(repo, repo.defaultBranch, { [STATE_FILE]: text }, { login: OPERATOR.login, type: 'User' });
    await until(
      () => (readBackend(sandbox.entry.mapFile) === PRIMARY ? true : undefined),
      'terraform to move HAProxy back',
      sandbox,
    );
  }
  await sandbox.runner.idle();
  // The reset's own apply reported a check run too; the next story starts without it.
  repo.checkRuns.clear();
  repo.deployments.clear();
  repo.comments.clear();
  // No pause for the bot's recent-answer memory: the next story's alerts carry the same labels but a new
  // start time, and a notification's identity includes it.
  await trafficOn(sandbox, PRIMARY);
}
