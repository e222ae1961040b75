// The results loop: the Action's verify check run (and a failed workflow run) → the PR timeline, a
// sticky result comment, and the follow-up the policy asks for (rollback PR, drill failback, drill
// report). Orchestration only; no Probot import. Events for one repo run one after the other so a
// check run and its workflow run never race on the same PR body.
import { decideDrillFailback, decideRollback, type VerifyRecord } from '../core/policy/follow-up.js';
import { healthPairs } from '../core/policy/index.js';
import { planPr, renderMarker, type TimelineEvents } from '../core/render/index.js';
import type { Decision, DrillLegRecord, FailoverConfig, FailoverMarker, PrPlan } from '../core/types.js';
import type { GitHubPort, RepoSnapshot } from '../github/index.js';
import type { AlertMetrics, ServiceDeps, VerifyResultMetric } from './alerts.js';
import { type Background, settleBackground } from './background.js';
import { followUpNext } from './command-text.js';
import { openFailoverPr } from './open-pr.js';
import {
  bodyWithTimeline,
  readVerifyRecord,
  renderDrillReport,
  renderResultComment,
  resultSeenFor,
} from './result-text.js';
import { createKeyedQueue } from './single-flight.js';
import { refusalsOf, type StatusIssues } from './status-issue.js';
import { createWorldViews, type WorldViews } from './world-view.js';

export const VERIFY_CHECK_NAME = 'gitops-failover/verify';

export type ResultsPort = Pick<
  GitHubPort,
  | 'readSnapshot'
  | 'findPrForCommit'
  | 'updatePrBody'
  | 'ensureComment'
  | 'ensureFailoverPr'
  | 'mergePr'
  | 'addLabels'
>;

/** The GitHub Actions app: the only creator of check runs the results loop believes. */
export const GITHUB_ACTIONS_APP = 'github-actions';

export interface CheckRunEvent {
  owner: string;
  repo: string;
  name: string;
  /** The app that created the check run (`check_run.app`); anything but GitHub Actions is ignored. */
  app?: { slug?: string | null } | null;
  headSha: string;
  conclusion?: string | null;
  completedAt?: string | null;
  output: { summary?: string | null; text?: string | null };
  url?: string;
}

export interface WorkflowRunEvent {
  owner: string;
  repo: string;
  conclusion?: string | null;
  headSha: string;
  runUrl: string;
  name?: string;
  /** The run's branch and the repo's default branch: only runs on the default branch apply failovers. */
  headBranch?: string | null;
  defaultBranch?: string;
}

export type ResultOutcome =
  | { handled: false; why: string }
  | {
      handled: true;
      pr: number;
      verified?: boolean;
      followUp?: { kind: 'rollback' | 'drill-failback'; pr?: number; merged?: string; why: string };
      drillReport?: number;
    };

export interface ResultsServiceDeps extends ServiceDeps<ResultsPort> {
  /** Observes work off the main path (labels); failures are logged either way. */
  background?: Background;
  /** The repo's status issue: a refused rollback or drill failback is noted there. */
  statusIssues?: StatusIssues;
}

export interface ResultsService {
  onCheckRun(ev: CheckRunEvent): Promise<ResultOutcome>;
  onWorkflowRun(ev: WorkflowRunEvent): Promise<ResultOutcome>;
}

export function createResultsService(deps: ResultsServiceDeps): ResultsService {
  const perRepo = createKeyedQueue();
  const views = createWorldViews(deps.world);
  const key = (o: string, r: string) => `${o}/${r}`.toLowerCase();
  // Labels go beside the main work; the event's handling still waits for them so a delivery ends settled.
  const settled = (work: (background: Background) => Promise<ResultOutcome>) =>
    settleBackground(deps.log, deps.background, work);
  return {
    onCheckRun(ev) {
      const refused = refuseCheckRun(ev);
      if (refused) {
        if (ev.name === VERIFY_CHECK_NAME)
          deps.log.warn({ event: 'results_refused', repo: key(ev.owner, ev.repo), why: refused });
        return Promise.resolve({ handled: false, why: refused });
      }
      const record = readVerifyRecord(ev.output);
      if (!record)
        return Promise.resolve({ handled: false, why: 'no verify record in the check run output' });
      return perRepo.run(key(ev.owner, ev.repo), () =>
        settled((background) => handleVerify(deps, views, background, ev, record)).then((outcome) =>
          logIgnored(deps, ev, outcome),
        ),
      );
    },
    onWorkflowRun(ev) {
      if (ev.conclusion !== 'failure')
        return Promise.resolve({ handled: false, why: `conclusion ${ev.conclusion}` });
      // A failed plan run on a PR branch is the Action's own PR comment's business, not an apply failure.
      if (ev.headBranch && ev.defaultBranch && ev.headBranch !== ev.defaultBranch)
        return Promise.resolve({ handled: false, why: `run on ${ev.headBranch}, not ${ev.defaultBranch}` });
      return perRepo.run(key(ev.owner, ev.repo), () =>
        handleFailedRun(deps, ev).then((outcome) => logIgnored(deps, ev, outcome)),
      );
    },
  };
}

/** A verify result the loop did not act on is worth a line: it may be a forgery, or a result lost. */
function logIgnored(
  deps: ResultsServiceDeps,
  ev: { owner: string; repo: string; headSha: string },
  outcome: ResultOutcome,
): ResultOutcome {
  if (!outcome.handled)
    deps.log.info({
      event: 'results_ignored',
      repo: `${ev.owner}/${ev.repo}`,
      sha: ev.headSha,
      why: outcome.why,
    });
  return outcome;
}

/** Why a check run is not a result to act on (wrong name, not created by GitHub Actions), or undefined. */
function refuseCheckRun(ev: CheckRunEvent): string | undefined {
  if (ev.name !== VERIFY_CHECK_NAME) return `check ${ev.name} is not ours`;
  const slug = ev.app?.slug ?? '(unknown app)';
  if (slug !== GITHUB_ACTIONS_APP) return `check run created by ${slug}, not by GitHub Actions`;
  return undefined;
}

/**
 * The failover PR a commit is the merge commit of, when it is one of this app's own with a signed marker.
 * Everything the results loop acts on (which PR, which services, what to roll back to) comes from here.
 */
async function trustedPrFor(
  deps: ResultsServiceDeps,
  port: ResultsPort,
  ev: { owner: string; repo: string },
  sha: string,
): Promise<
  { ok: true; pr: { number: number; body: string }; marker: FailoverMarker } | { ok: false; why: string }
> {
  const found = await port.findPrForCommit(sha);
  if (!found) return { ok: false, why: `no PR for commit ${sha}` };
  if (!found.mergedAs) return { ok: false, why: `${sha} is not the merge commit of PR #${found.number}` };
  if (!found.verdict.ok) {
    if (found.verdict.hasMarker)
      deps.log.warn({
        event: 'results_untrusted_pr',
        repo: `${ev.owner}/${ev.repo}`,
        pr: found.number,
        why: found.verdict.why,
      });
    return { ok: false, why: `PR #${found.number} is not a failover PR of this app (${found.verdict.why})` };
  }
  return { ok: true, pr: found, marker: found.verdict.marker };
}

/**
 * The verify record with everything that names what changed replaced by the PR's own signed marker: the
 * check run says only whether the change applied and verified, and when.
 */
function recordFromMarker(
  reported: VerifyRecord,
  marker: FailoverMarker,
  pr: number,
  sha: string,
): VerifyRecord {
  const record: VerifyRecord = {
    ...reported,
    services: [...marker.services],
    changes: marker.changes.map((c) => ({ ...c })),
    pr,
    sha,
    kind: marker.kind,
  };
  if (reported.failure !== undefined) record.failure = capText(reported.failure, MAX_FAILURE_CHARS);
  return record;
}

const MAX_FAILURE_CHARS = 500;

function capText(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (cut)`;
}

async function handleVerify(
  deps: ResultsServiceDeps,
  views: WorldViews,
  background: Background,
  ev: CheckRunEvent,
  reported: VerifyRecord,
): Promise<ResultOutcome> {
  const port = await deps.portFor(ev.owner, ev.repo);
  // The check run's own head_sha, never a sha the record names: that is the commit GitHub ran it on.
  const sha = ev.headSha;
  if (reported.verified !== (ev.conclusion === 'success'))
    return {
      handled: false,
      why: `the record says verified=${reported.verified} but the check concluded ${ev.conclusion}`,
    };
  const trusted = await trustedPrFor(deps, port, ev, sha);
  if (!trusted.ok) return { handled: false, why: trusted.why };
  const { pr: found, marker } = trusted;
  const record = recordFromMarker(reported, marker, found.number, sha);
  // The timeline note is written last, after every follow-up: when it is there, all of this was done.
  if (resultSeenFor(found.body, sha)) return { handled: false, why: `result for ${sha} already written` };
  // A follow-up (rollback, drill failback) judges its destination with the world as it is now.
  const { snap, world } = await views.read(port, ev.owner, ev.repo, (config) =>
    healthPairs(config, marker.services),
  );
  const now = new Date(deps.now()).toISOString();

  const events: TimelineEvents = { notes: {} };
  const merged = snap.view.history.find((h) => h.pr === found.number)?.mergedAt;
  if (merged) events.merged = merged;
  if (record.appliedAt) events.applied = record.appliedAt;
  if (record.verified && record.verifiedAt) events.verified = record.verifiedAt;
  if (!record.verified) {
    events.failed = ev.completedAt ?? now;
    if (events.notes) events.notes.failed = record.failure ?? 'verification failed';
  }

  deps.metrics?.verifyResult?.(verifyResultMetric(record, marker, events.verified ?? events.failed));
  const outcome: ResultOutcome = { handled: true, pr: found.number, verified: record.verified };
  let followUpLine: string | undefined;
  const config = snap.config;
  const ctx: FollowUpContext | undefined = config && {
    metrics: deps.metrics,
    port,
    background,
    snap,
    config,
    now,
  };
  if (ctx && !record.verified) {
    const decision = decideRollback({
      record,
      marker,
      prNumber: found.number,
      config: ctx.config,
      repo: snap.view,
      now,
      world,
    });
    noteRefusal(deps, background, ev, { decision, now, trigger: `rollback of #${found.number}` });
    const done = await followUp(ctx, decision, (m) => ({ ...m, rollbackOf: found.number }), true);
    outcome.followUp = { kind: 'rollback', ...done };
    if (done.pr !== undefined && done.merged?.startsWith('merged')) {
      events.rolledBack = now;
      if (events.notes) events.notes.rolledBack = `#${done.pr}`;
    }
    followUpLine =
      done.pr !== undefined
        ? `↩️ Rollback PR #${done.pr} opened (${done.merged ?? 'not merged'}).`
        : `No automatic rollback: ${done.why}.${followUpNext(decision)}`;
  }
  if (ctx && record.verified && marker.kind === 'drill' && marker.drill?.leg === 'failover') {
    const leg = legOf(found.number, marker, record);
    const { decision, merge } = decideDrillFailback({
      marker,
      prNumber: found.number,
      config: ctx.config,
      repo: snap.view,
      now,
      world,
    });
    noteRefusal(deps, background, ev, { decision, now, trigger: `drill failback of #${found.number}` });
    const done = await followUp(
      ctx,
      decision,
      (m) => ({ ...m, drill: { leg: 'failback', originPr: found.number, failoverLeg: leg } }),
      merge,
    );
    outcome.followUp = { kind: 'drill-failback', ...done };
    followUpLine =
      done.pr !== undefined
        ? `🧪 Drill: failback PR #${done.pr} opened (${done.merged ?? 'not merged: a database is never failed back automatically'}).`
        : `🧪 Drill: no failback: ${done.why}.${followUpNext(decision)}`;
  }
  if (marker.kind === 'drill' && marker.drill?.leg === 'failback' && marker.drill.originPr !== undefined) {
    const report = renderDrillReport(
      marker.drill.failoverLeg,
      legOf(found.number, marker, record),
      marker.services.join(', '),
    );
    const verdict = record.verified
      ? ''
      : `\n\n❌ The failback leg did NOT verify: ${record.failure ?? 'unknown'}.`;
    await port.ensureComment(marker.drill.originPr, 'drill-report', `${report}${verdict}`);
    outcome.drillReport = marker.drill.originPr;
  }
  await port.ensureComment(
    found.number,
    'result',
    renderResultComment(record, marker, { checkUrl: ev.url, followUp: followUpLine }),
  );
  const body = bodyWithTimeline(found.body, marker, events, { sha, verified: record.verified });
  if (body !== found.body) await port.updatePrBody(found.number, body);
  deps.log.info({
    event: 'result',
    repo: `${ev.owner}/${ev.repo}`,
    pr: found.number,
    verified: record.verified,
    followUp: outcome.followUp,
  });
  return outcome;
}

/** The figures the metrics want from one result: verification duration and RTO, in seconds. */
function verifyResultMetric(
  record: VerifyRecord,
  marker: FailoverMarker,
  endedAt: string | undefined,
): VerifyResultMetric {
  const applied = record.appliedAt ? Date.parse(record.appliedAt) : Number.NaN;
  const ended = endedAt ? Date.parse(endedAt) : Number.NaN;
  const seconds = (ended - applied) / 1000;
  return {
    verified: record.verified,
    kind: marker.kind,
    ...(Number.isFinite(seconds) && seconds >= 0 ? { verificationSeconds: seconds } : {}),
    ...(record.rtoSeconds !== undefined ? { rtoSeconds: record.rtoSeconds } : {}),
  };
}

/** A follow-up the policy refused is an automatic decision refused: it shows in the status issue. */
function noteRefusal(
  deps: ResultsServiceDeps,
  background: Background,
  ev: CheckRunEvent,
  refused: { decision: Decision; now: string; trigger: string },
): void {
  const refusals = refusalsOf(refused.decision, refused.now, refused.trigger);
  if (deps.statusIssues && refusals.length > 0)
    background(deps.statusIssues.note(ev.owner, ev.repo, refusals), 'status issue');
}

function legOf(pr: number, marker: FailoverMarker, record: VerifyRecord): DrillLegRecord {
  const leg: DrillLegRecord = { pr, startedAt: marker.startedAt };
  if (record.appliedAt) leg.appliedAt = record.appliedAt;
  if (record.verifiedAt) leg.verifiedAt = record.verifiedAt;
  if (record.rtoSeconds !== undefined) leg.rtoSeconds = record.rtoSeconds;
  return leg;
}

/** What any follow-up of one verify result works with: the repo as read once for that result. */
interface FollowUpContext {
  metrics: AlertMetrics | undefined;
  port: ResultsPort;
  background: Background;
  snap: RepoSnapshot;
  config: FailoverConfig;
  now: string;
}

/** Opens (and maybe merges) the follow-up PR a decision asks for; returns what happened in words. */
async function followUp(
  { metrics, port, background, snap, config, now }: FollowUpContext,
  decision: Decision,
  adjust: (m: FailoverMarker) => FailoverMarker,
  merge: boolean,
): Promise<{ pr?: number; merged?: string; why: string }> {
  if (decision.action !== 'merge' && decision.action !== 'open-pr') {
    return {
      why: decision.reasons.join('; ') || 'nothing to do',
      ...(decision.pr !== undefined ? { pr: decision.pr } : {}),
    };
  }
  const plan = withMarker(
    planPr(decision, {
      config,
      repo: snap.view,
      now,
      receivedAt: now,
      trigger: { type: 'command', by: 'gitops-failover[bot]', command: decision.reasons[0] ?? decision.kind },
    }),
    adjust,
  );
  const pr = await openFailoverPr(port, plan, snap, {
    kind: decision.kind,
    background,
    prOpened: (kind) => metrics?.prOpened(kind),
  });
  if (!merge || decision.unseen) {
    const why = decision.unseen
      ? `not merged: could not see ${decision.unseen.join('; ')}`
      : (decision.reasons[0] ?? '');
    return { pr: pr.number, why, ...(decision.unseen ? { merged: why } : {}) };
  }
  const merged = await port.mergePr(pr.number);
  metrics?.prMerged(merged.outcome);
  return { pr: pr.number, merged: `${merged.outcome}: ${merged.message}`, why: decision.reasons[0] ?? '' };
}

/** The plan with its marker changed, in the plan and in the body (the body is what GitHub keeps). */
function withMarker(plan: PrPlan, adjust: (m: FailoverMarker) => FailoverMarker): PrPlan {
  const marker = adjust(plan.marker);
  const old = renderMarker(plan.marker);
  const at = plan.body.lastIndexOf(old);
  const body =
    at >= 0 ? plan.body.slice(0, at) + renderMarker(marker) + plan.body.slice(at + old.length) : plan.body;
  return { ...plan, marker, body };
}

async function handleFailedRun(deps: ResultsServiceDeps, ev: WorkflowRunEvent): Promise<ResultOutcome> {
  const port = await deps.portFor(ev.owner, ev.repo);
  const trusted = await trustedPrFor(deps, port, ev, ev.headSha);
  if (!trusted.ok) return { handled: false, why: trusted.why };
  const found = trusted.pr;
  // The verify check run was handled already (its result is in the timeline): it says more than we can.
  if (resultSeenFor(found.body, ev.headSha))
    return { handled: false, why: 'verify check run already reported' };
  await port.ensureComment(
    found.number,
    'action-failed',
    `### ❌ The failover Action failed before verifying\n\nThe workflow run${ev.name ? ` \`${ev.name}\`` : ''} for \`${ev.headSha.slice(0, 7)}\` failed without a \`${VERIFY_CHECK_NAME}\` result, so nothing confirms the change is applied. See [the run](${ev.runUrl}); the desired state on the default branch already says the new value.`,
  );
  deps.log.warn({ event: 'action_failed', repo: `${ev.owner}/${ev.repo}`, pr: found.number, run: ev.runUrl });
  return { handled: true, pr: found.number };
}
