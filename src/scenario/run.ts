// Runs one scenario through the bot's own services (alerts, ChatOps, results), the real GitHub port and
// the in-memory GitHub, on a clock that moves to each step's time. The scenario plays everything outside
// the bot: the alert source of record and the preflight checks (world.ts), the people (commands,
// merges) and the Action (its verify check run).
import { basename } from 'node:path';
import { describeThrown } from '../core/errors.js';
import { readStateValue } from '../core/state/index.js';
import { createGitHubPort, STATUS_LABEL } from '../github/index.js';
import { APP_BOT, DoubleState, memoryClient, type RepoState } from '../memory-github/index.js';
import { createAlertService, readNotification, type ServiceLogger } from '../service/alerts.js';
import type { Background } from '../service/background.js';
import { createCommandService } from '../service/commands.js';
import { createResultsService } from '../service/results.js';
import { createStatusIssues } from '../service/status-issue.js';
import { checkExpectations, type ExpectationResult, type Observed, type ObservedDecision } from './expect.js';
import type { Scenario, ScenarioEvent, ScenarioStep } from './resolve.js';
import { verifyCheckRun } from './verify-run.js';
import { createScriptedWorld, type ScriptedWorld } from './world.js';

export const SCENARIO_OWNER = 'scenario';

export interface StepResult {
  step: number;
  at: string;
  time: string;
  /** The event in words: `alert alerts/west-down.json`, `command "/failover status" by alice`. */
  event: string;
  /** What the bot did: the endpoint's answer, the command's outcome, the results loop's outcome. */
  outcome?: unknown;
  /** The step could not be played (no PR to merge, a service threw): counts as a failure. */
  error?: string;
  expectations: ExpectationResult[];
}

export interface ScenarioResult {
  file: string;
  name: string;
  steps: StepResult[];
  passed: number;
  failed: number;
}

/** Everything a step acts on. */
interface Stage {
  sc: Scenario;
  github: DoubleState;
  repo: RepoState;
  world: ScriptedWorld;
  clock: { ms: number };
  services: ReturnType<typeof createServices>;
  timers: Timer[];
  client: ReturnType<typeof memoryClient>;
  /** The plain issue commands without `on:` are written in. */
  commandIssue?: number;
}

/** Work the bot scheduled for later (the status issue's trailing edit), run when the clock gets there. */
interface Timer {
  due: number;
  run: () => Promise<void>;
}

export async function runScenario(sc: Scenario): Promise<ScenarioResult> {
  const stage = setUp(sc);
  const steps: StepResult[] = [];
  for (const step of sc.steps) steps.push(await runStep(stage, step));
  const all = steps.flatMap((s) => s.expectations);
  const errors = steps.filter((s) => s.error !== undefined).length;
  const passed = all.filter((e) => e.pass).length;
  return { file: sc.file, name: sc.name, steps, passed, failed: all.length - passed + errors };
}

function setUp(sc: Scenario): Stage {
  const clock = { ms: sc.startMs };
  const now = () => clock.ms;
  // A scenario's steps see GitHub's merge at once: mergeability `unknown` for a while after a PR opens
  // is the in-memory GitHub's own subject (test/integration/github-behaviour.test.ts), not a scenario's.
  const github = new DoubleState({ wallClock: now, mergeabilityMs: 0 });
  const repoName = basename(sc.repoDir).replace(/[^A-Za-z0-9._-]/g, '-') || 'infra';
  const repo = github.seed(SCENARIO_OWNER, repoName, sc.repoFiles);
  const world = createScriptedWorld(sc.config.services, now, sc.health);
  const client = memoryClient(github);
  const timers: Timer[] = [];
  const services = createServices(github, repo, world, now, (run, delayMs) =>
    timers.push({ due: clock.ms + delayMs, run }),
  );
  return { sc, github, repo, world, clock, client, services, timers };
}

function createServices(
  github: DoubleState,
  repo: RepoState,
  world: ScriptedWorld,
  now: () => number,
  schedule: (run: () => Promise<void>, delayMs: number) => void,
) {
  const pending: Promise<unknown>[] = [];
  const background: Background = (task) => {
    pending.push(task.catch(() => undefined));
  };
  const deps = {
    portFor: () =>
      createGitHubPort({
        client: memoryClient(github),
        owner: repo.owner,
        repo: repo.name,
        now,
        // The in-memory GitHub never fails on its own; should a retry happen, it must not wait real time.
        sleep: async () => undefined,
        random: () => 0.5,
        selfLogin: APP_BOT.login,
      }),
    now,
    log: quietLog,
    background,
    // The world view (issue 7): services that take it decide on it; the scenario is its source of record.
    world,
  };
  const statusIssues = createStatusIssues({ ...deps, schedule });
  return {
    alerts: createAlertService({ ...deps, statusIssues, processingTimeoutMs: 120_000 }),
    commands: createCommandService(deps),
    results: createResultsService({ ...deps, statusIssues }),
    /** Waits for the work the services left beside their answer (labels), so the next step sees it. */
    settle: async () => {
      while (pending.length > 0) await Promise.all(pending.splice(0));
    },
  };
}

const quietLog: ServiceLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

async function runStep(stage: Stage, step: ScenarioStep): Promise<StepResult> {
  await runTimersUntil(stage, stage.sc.startMs + step.atMs);
  stage.clock.ms = stage.sc.startMs + step.atMs;
  const result: StepResult = {
    step: step.number,
    at: step.at,
    time: new Date(stage.clock.ms).toISOString(),
    event: describeEvent(step.event),
    expectations: [],
  };
  let observed: Partial<Observed> = {};
  if (step.event) {
    try {
      const played = await playEvent(stage, step.event);
      result.outcome = played.outcome;
      observed = played.observed;
    } catch (thrown: unknown) {
      result.error = describeThrown(thrown);
    }
    await stage.services.settle();
  }
  if (step.expect)
    result.expectations = checkExpectations(step.expect, { ...observeWorld(stage), ...observed });
  return result;
}

/** Runs, in time order and each at its own time, the scheduled work that falls due before `until`. */
async function runTimersUntil(stage: Stage, until: number): Promise<void> {
  for (;;) {
    const next = stage.timers.filter((t) => t.due <= until).sort((a, b) => a.due - b.due)[0];
    if (!next) return;
    stage.timers.splice(stage.timers.indexOf(next), 1);
    stage.clock.ms = Math.max(stage.clock.ms, next.due);
    await next.run();
    await stage.services.settle();
  }
}

function describeEvent(event: ScenarioEvent | undefined): string {
  switch (event?.type) {
    case undefined:
      return 'expect';
    case 'alert':
      return `alert ${event.from}${event.source ? ` (${event.source})` : ''}`;
    case 'health':
      return `health ${Object.entries(event.health)
        .map(
          ([s, t]) =>
            `${s}: ${Object.entries(t)
              .map(([k, v]) => `${k} ${v}`)
              .join(', ')}`,
        )
        .join('; ')}`;
    case 'command':
      return `command ${JSON.stringify(event.text)} by ${event.user} (${event.permission})${event.on ? ` on ${event.on}'s PR` : ''}`;
    case 'merge':
      return `merge ${event.subject}`;
    case 'verify':
      return `verify ${Object.entries(event.results)
        .map(([s, r]) => `${s} ${r}`)
        .join(', ')}`;
    case 'alert_source':
      return `alert source ${event.readable ? 'readable' : 'unreadable'}`;
    case 'freeze':
      return `freeze ${event.on ? 'on' : 'off'}`;
  }
}

interface Played {
  outcome: unknown;
  observed: Partial<Observed>;
}

async function playEvent(stage: Stage, event: ScenarioEvent): Promise<Played> {
  switch (event.type) {
    case 'alert':
      return playAlert(stage, event);
    case 'health':
      stage.world.setHealth(event.health);
      return { outcome: { health: event.health }, observed: {} };
    case 'alert_source':
      stage.world.setReadable(event.readable);
      return { outcome: { alertSource: event.readable ? 'readable' : 'unreadable' }, observed: {} };
    case 'freeze':
      return playFreeze(stage, event.on);
    case 'command':
      return playCommand(stage, event);
    case 'merge':
      return playMerge(stage, event.subject);
    case 'verify':
      return playVerify(stage, event.results);
  }
}

async function playAlert(stage: Stage, event: Extract<ScenarioEvent, { type: 'alert' }>): Promise<Played> {
  const receivedAt = new Date(stage.clock.ms).toISOString();
  const req = {
    owner: stage.repo.owner,
    repo: stage.repo.name,
    body: event.body,
    source: event.source,
    receivedAt,
  };
  // The edge reads the body before anything else, as the bot's endpoint does.
  const read = readNotification(req);
  const answer =
    'answer' in read ? read.answer : await stage.services.alerts.handle({ ...req, notification: read.note });
  // From now on the source of record knows these alerts (firing ones until resolved or past endsAt).
  if ('note' in read) stage.world.deliver(read.note.signals);
  const json = answer.json as { decisions?: ObservedDecision[]; reasons?: string[]; message?: string };
  const observed: Partial<Observed> = {};
  if (Array.isArray(json.decisions)) observed.decisions = json.decisions;
  const why = json.reasons?.join('; ') || json.message;
  observed.noDecisionsWhy = `the endpoint answered ${answer.status}${why ? `: ${why}` : ''}`;
  return { outcome: { status: answer.status, ...answer.json }, observed };
}

/** A person adds (or removes) the freeze file on the default branch. */
async function playFreeze(stage: Stage, on: boolean): Promise<Played> {
  const { github, repo, sc } = stage;
  const commit = github.push(repo, repo.defaultBranch, {
    [sc.config.freeze_file]: on
      ? `frozen by the scenario at ${new Date(stage.clock.ms).toISOString()}\n`
      : null,
  });
  return { outcome: { freeze: on, sha: commit.sha }, observed: {} };
}

async function playCommand(
  stage: Stage,
  event: Extract<ScenarioEvent, { type: 'command' }>,
): Promise<Played> {
  const { github, repo } = stage;
  repo.collaborators.set(event.user, event.permission);
  const onPr = event.on !== undefined ? openFailoverPull(stage, event.on) : undefined;
  if (event.on !== undefined && !onPr) throw new Error(`no open failover PR for ${event.on} to comment on`);
  const issueNumber = onPr?.number ?? commandIssue(stage);
  const person = { login: event.user, type: 'User' as const };
  const comment = github.addComment(repo, issueNumber, event.text, person);
  const outcome = await stage.services.commands.handle({
    owner: repo.owner,
    repo: repo.name,
    issueNumber,
    isPullRequest: onPr !== undefined,
    commentId: comment.id,
    commentUrl: `https://github.com/${repo.owner}/${repo.name}/issues/${issueNumber}#issuecomment-${comment.id}`,
    body: event.text,
    sender: person,
    appLogin: APP_BOT.login,
  });
  return {
    outcome,
    observed: outcome.handled && outcome.reply !== undefined ? { reply: outcome.reply } : {},
  };
}

/** A plain issue for commands given without `on:` (an incident issue, say), opened at the first one. */
function commandIssue(stage: Stage): number {
  if (stage.commandIssue === undefined)
    stage.commandIssue = stage.github.openIssue(stage.repo, { title: `Incident: ${stage.sc.name}` }).number;
  return stage.commandIssue;
}

function openFailoverPull(stage: Stage, subject: string) {
  return [...stage.repo.pulls.values()].find((p) => p.state === 'open' && p.head === `failover/${subject}`);
}

async function playMerge(stage: Stage, subject: string): Promise<Played> {
  const pull = openFailoverPull(stage, subject);
  if (!pull) throw new Error(`no open failover PR for ${subject} to merge`);
  // A person merges on GitHub: the same merge endpoint, so branch rules and conflicts apply.
  const res = await stage.client.request('PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge', {
    owner: stage.repo.owner,
    repo: stage.repo.name,
    pull_number: pull.number,
    merge_method: 'squash',
  });
  return { outcome: { merged: pull.number, sha: (res.data as { sha?: string }).sha }, observed: {} };
}

async function playVerify(stage: Stage, results: Record<string, 'pass' | 'fail'>): Promise<Played> {
  const runs = verifyCheckRun(stage, results);
  const outcomes = [];
  const decisions: ObservedDecision[] = [];
  for (const run of runs) {
    // The Action reports its check run on GitHub; the bot's results loop receives it.
    const created = await stage.client.request('POST /repos/{owner}/{repo}/check-runs', {
      owner: stage.repo.owner,
      repo: stage.repo.name,
      ...run.checkRun,
    });
    const outcome = await stage.services.results.onCheckRun({
      ...run.event,
      url: String((created.data as { html_url?: unknown }).html_url ?? ''),
    });
    outcomes.push(outcome);
    decisions.push(...run.subjects.map((service) => followUpDecision(service, outcome)));
  }
  return { outcome: outcomes.length === 1 ? outcomes[0] : outcomes, observed: { decisions } };
}

/** The results loop's follow-up (rollback, drill failback) in the shape of an endpoint decision. */
function followUpDecision(
  service: string,
  outcome: Awaited<ReturnType<Stage['services']['results']['onCheckRun']>>,
): ObservedDecision {
  if (!outcome.handled) return { service, action: 'none', reasons: [outcome.why] };
  const f = outcome.followUp;
  if (!f) return { service, action: 'none', reasons: ['no follow-up'], pr: outcome.pr };
  const action = f.pr === undefined ? 'none' : f.merged?.startsWith('merged') ? 'merge' : 'open-pr';
  return {
    service,
    action,
    reasons: [`${f.kind}: ${f.why}`, ...(f.merged ? [f.merged] : [])],
    ...(f.pr !== undefined ? { pr: f.pr } : {}),
  };
}

/** What `expect` can always look at: the default branch, the open PRs, the status issue. */
function observeWorld(stage: Stage): Observed {
  const { github, repo, sc } = stage;
  const files = github.files(repo);
  const statusIssue = [...repo.issues.values()]
    .filter((i) => i.state === 'open' && i.labels.includes(STATUS_LABEL))
    .sort((a, b) => a.number - b.number)[0];
  return {
    state(service) {
      const svc = sc.config.services[service];
      const text = svc ? files[svc.state.file] : undefined;
      if (!svc || text === undefined) return undefined;
      try {
        return readStateValue(svc.state.file, text, svc.state.key);
      } catch (thrown: unknown) {
        return `unreadable: ${describeThrown(thrown)}`;
      }
    },
    openPrs: [...repo.pulls.values()].filter((p) => p.state === 'open').length,
    ...(statusIssue ? { statusIssue: statusIssue.body } : {}),
  };
}
