// Alert notification → decisions → failover PRs. Orchestration only: parsing, policy and rendering are the
// core's, GitHub calls are the port's; this file decides the order, what is on the critical path, and
// how failures map to HTTP answers. No Probot import: the bot, the sandbox and the benchmarks share it.
import { createHash } from 'node:crypto';
import { normaliseNotification } from '../core/alerts/index.js';
import { ConfigError, describeThrown, PayloadError } from '../core/errors.js';
import { decide, healthPairs, mayChangeSoon, servicesOfSignals } from '../core/policy/index.js';
import { parseMarker, planPr } from '../core/render/index.js';
import { capEcho } from '../core/render/text.js';
import type { AlertSource, Decision, FailoverConfig, NormalisedNotification, PrPlan } from '../core/types.js';
import type { WorldReader, WorldView } from '../core/world.js';
import { boundedRetryAfter, DEFAULT_RETRY_AFTER_S } from '../github/client.js';
import type { GitHubPort, RepoSnapshot } from '../github/index.js';
import type { Background } from './background.js';
import { branchDeletion, openFailoverPr } from './open-pr.js';
import { createKeyedQueue, createSingleFlight } from './single-flight.js';
import { refusalsOf, type StatusIssues } from './status-issue.js';
import { createWorldViews, type WorldViews } from './world-view.js';

/** The GitHub port verbs this service uses. */
export type AlertPort = Pick<
  GitHubPort,
  'readSnapshot' | 'ensureFailoverPr' | 'mergePr' | 'addLabels' | 'updatePrBody' | 'closePr' | 'comment'
>;

export interface ServiceLogger {
  info(obj: Record<string, unknown>, msg?: string): void;
  warn(obj: Record<string, unknown>, msg?: string): void;
  error(obj: Record<string, unknown>, msg?: string): void;
}

export interface AlertMetrics {
  decision(action: string, reason: string): void;
  prOpened(kind: string): void;
  /** One merge attempt's outcome (merged, auto-merge, refused, ...). */
  prMerged(outcome: string): void;
  /** One verification result the Action reported, counted once per PR and commit. */
  verifyResult?(result: VerifyResultMetric): void;
}

export interface VerifyResultMetric {
  verified: boolean;
  /** From apply to the end of verification, when both times are known. */
  verificationSeconds?: number;
  /** Recovery time the Action measured (verified results only). */
  rtoSeconds?: number;
  /** The PR's kind (auto, manual, drill, rollback, ...). */
  kind: string;
}

/** What each service (alerts, ChatOps, results) gets from its host: the bot, the sandbox or a benchmark. */
export interface ServiceDeps<Port> {
  /** The port for one repo (the bot builds it from the installation's client). */
  portFor(owner: string, repo: string): Port | Promise<Port>;
  /** Milliseconds since the epoch. */
  now(): number;
  log: ServiceLogger;
  metrics?: AlertMetrics;
  /**
   * Reads the world view (firing alerts of the source of record, live target health) beside the
   * snapshot. Absent: nothing is configured; decisions use what they have and say "not checked".
   */
  world?: WorldReader;
}

export interface AlertServiceDeps extends ServiceDeps<AlertPort> {
  /** Work that must not delay the answer (labels). Receives the promise; default: log its failure. */
  background?: Background;
  /** Identical notifications within this window get the previous answer without new GitHub calls. */
  recentWindowMs?: number;
  /** A notification still unanswered after this long gets a 503 and frees its repo's queue (default 25 s). */
  processingTimeoutMs?: number;
  /** The repo's status issue: refusals noted after the answer, its link in the answer. Absent: none. */
  statusIssues?: StatusIssues;
}

export interface AlertRequest {
  owner: string;
  repo: string;
  body: unknown;
  source?: AlertSource | undefined;
  /** ISO time the bot received the notification. */
  receivedAt: string;
  /** The body already read by readNotification (the edge validates before any GitHub call). */
  notification?: NormalisedNotification;
}

export interface DecisionSummary {
  service: string;
  action: Decision['action'];
  from?: string | undefined;
  to?: string | undefined;
  pr?: number | undefined;
  url?: string | undefined;
  reasons: string[];
  merge?: { outcome: string; message: string } | undefined;
  /** An open PR this decision closed before opening its own (a drill ended, a PR onto a dead target). */
  closed?: number | undefined;
}

export interface AlertAnswer {
  status: 200 | 400 | 404 | 500 | 503;
  json: Record<string, unknown>;
  headers?: Record<string, string>;
  /** In-process only, never sent: false when a resend a moment later may be answered differently. */
  lasting?: boolean;
}

const RETRY_AFTER_DEFAULT_S = DEFAULT_RETRY_AFTER_S;

export interface AlertService {
  handle(req: AlertRequest): Promise<AlertAnswer>;
}

/**
 * Reads a notification body without touching GitHub: a body that is not a payload of its source is a
 * 400, one with nothing to act on (only INSUFFICIENT_DATA, an unrelated SNS message) a final 200. Only a
 * notification with signals is worth an installation lookup and the repo's files.
 */
export function readNotification(
  req: Pick<AlertRequest, 'body' | 'source' | 'receivedAt'>,
): { note: NormalisedNotification } | { answer: AlertAnswer } {
  let note: NormalisedNotification;
  try {
    note = normaliseNotification(req.body, req.source, { receivedAt: req.receivedAt });
  } catch (thrown: unknown) {
    if (thrown instanceof PayloadError)
      return { answer: { status: 400, json: { error: 'payload', message: thrown.message } } };
    throw thrown;
  }
  if (note.signals.length === 0) {
    const json = { decisions: [], reasons: note.ignored.map((i) => i.reason), source: note.source };
    return { answer: { status: 200, json } };
  }
  return { note };
}

export function createAlertService(deps: AlertServiceDeps): AlertService {
  const perRepo = createKeyedQueue();
  const views = createWorldViews(deps.world);
  const flights = createSingleFlight<AlertAnswer>({
    recentWindowMs: deps.recentWindowMs ?? 10_000,
    now: deps.now,
    remember: (answer) => answer.lasting !== false,
  });
  const background =
    deps.background ??
    ((task: Promise<unknown>, what: string) => {
      task.catch((thrown: unknown) =>
        deps.log.warn({ event: 'background_failed', what, error: describeThrown(thrown) }),
      );
    });

  return {
    async handle(req) {
      const read = req.notification ? { note: req.notification } : readNotification(req);
      if ('answer' in read) return read.answer;
      const note = read.note;
      const repoKey = `${req.owner.toLowerCase()}/${req.repo.toLowerCase()}`;
      return flights.run(`${repoKey}#${notificationIdentity(note)}`, () =>
        // Different notifications for one repo run one after the other, so the second sees the first's PR.
        perRepo.run(repoKey, () =>
          withTimeout(
            processNotification(deps, views, req, note, background),
            deps.processingTimeoutMs ?? 25_000,
          ),
        ),
      );
    },
  };
}

/**
 * Identity of a notification for the duplicate cache: what fired or resolved (status, every label, start
 * time), not when it was sent. Alertmanager resends the same group on every repeat; these all share one
 * flight (and then the recent answer). The fingerprint alone is not used: it is the sender's word, and a
 * harmless alert sent first under the fingerprint of a real one would otherwise swallow the real one.
 */
export function notificationIdentity(note: NormalisedNotification): string {
  const signal = (s: NormalisedNotification['signals'][number]) =>
    JSON.stringify([
      s.status,
      s.startsAt,
      Object.entries(s.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    ]);
  const parts = note.signals.map(signal).sort();
  return createHash('sha256')
    .update(`${note.source}\n${parts.join('\n')}`)
    .digest('hex');
}

async function processNotification(
  deps: AlertServiceDeps,
  views: WorldViews,
  req: AlertRequest,
  note: NormalisedNotification,
  background: Background,
): Promise<AlertAnswer> {
  const repoName = `${req.owner}/${req.repo}`;
  try {
    const port = await deps.portFor(req.owner, req.repo);
    const { snap, world } = await views.read(port, req.owner, req.repo, (config) =>
      healthPairs(config, servicesOfSignals(config, note.signals)),
    );
    if (snap.configError) {
      // A broken config answers 200: retrying cannot fix it (Alertmanager would retry 5xx forever),
      // the reason names the error for whoever reads the answer, and the log line alerts the operators.
      deps.log.error({ event: 'config_error', repo: repoName, error: snap.configError.message });
      deps.metrics?.decision('none', 'config_error');
      return {
        status: 200,
        json: {
          decisions: [],
          reasons: [`config error, nothing done: ${snap.configError.message}`],
          configError: snap.configError.issues,
        },
      };
    }
    if (!snap.config) {
      return {
        status: 404,
        json: {
          error: 'no_config',
          message: `no .github/failover.yml on ${snap.view.defaultBranch} of ${repoName}`,
        },
      };
    }
    const now = new Date(deps.now()).toISOString();
    const decisions = decide({ signals: note.signals, config: snap.config, repo: snap.view, now, world });
    const summaries: DecisionSummary[] = [];
    for (const decision of decisions) {
      summaries.push(
        await carryOut(deps, port, decision, {
          config: snap.config,
          snap,
          now,
          req,
          note,
          background,
          world,
        }),
      );
    }
    const json: Record<string, unknown> = {
      source: note.source,
      decisions: summaries,
      ignored: note.ignored.map((i) => i.reason),
    };
    if (deps.statusIssues) {
      const refusals = decisions.flatMap((d) => refusalsOf(d, now, `alert (${note.source})`));
      if (refusals.length > 0 || decisions.some((d) => d.action !== 'none'))
        background(deps.statusIssues.note(req.owner, req.repo, refusals), 'status issue');
      json.statusIssue = deps.statusIssues.linkFor(req.owner, req.repo);
    }
    return { status: 200, json, lasting: !decisions.some(mayChangeSoon) };
  } catch (thrown: unknown) {
    return failureAnswer(deps, repoName, thrown);
  }
}

interface CarryContext {
  config: FailoverConfig;
  snap: RepoSnapshot;
  now: string;
  req: AlertRequest;
  note: NormalisedNotification;
  background: Background;
  world: WorldView;
}

async function carryOut(
  deps: AlertServiceDeps,
  port: AlertPort,
  decision: Decision,
  ctx: CarryContext,
): Promise<DecisionSummary> {
  const summary: DecisionSummary = {
    service: decision.service,
    action: decision.action,
    from: decision.from,
    to: decision.to,
    pr: decision.pr,
    reasons: decision.reasons.map((r) => capEcho(r)),
  };
  const trigger = { type: 'alert' as const, sources: [ctx.note.source] };
  const plan = (): PrPlan =>
    planPr(decision, {
      config: ctx.config,
      repo: ctx.snap.view,
      now: ctx.now,
      receivedAt: ctx.req.receivedAt,
      trigger,
    });

  switch (decision.action) {
    case 'open-pr':
    case 'merge': {
      const p = plan();
      let snap = ctx.snap;
      if (decision.supersedes) {
        // The open PR it replaces (a drill a real incident ends, or an automatic PR onto a target that
        // is failing now) is closed first, with the reason; its branch goes with it (when only the app
        // pushed to it), so the new PR can take the branch.
        const old = decision.supersedes;
        await port.closePr(old.pr, old.comment, branchDeletion(snap, old.pr));
        summary.closed = old.pr;
        snap = {
          ...snap,
          view: { ...snap.view, openPrs: snap.view.openPrs.filter((o) => o.number !== old.pr) },
        };
      }
      // Critical path: the PR must exist before we answer 200.
      const pr = await openFailoverPr(port, p, snap, {
        kind: decision.kind,
        background: ctx.background,
        prOpened: (kind) => deps.metrics?.prOpened(kind),
      });
      summary.pr = pr.number;
      summary.url = pr.url;
      const lost = pr.created ? undefined : rejudgeWinner(decision, pr);
      if (lost) summary.reasons = [...summary.reasons, lost.said];
      if (pr.merged) {
        // The replica that won the branch merged it already: asking GitHub again would only cost a trip.
        summary.merge = { outcome: 'merged', message: `#${pr.number} was merged by the run that opened it` };
      } else if ((decision.action === 'merge' || p.merge) && !lost?.refuse) {
        // Merging is one call and awaited: an answer that says "merged" is true, and a retryable merge
        // failure becomes a 503 so the sender retries (the retry finds the PR and merges it).
        const merged = await port.mergePr(pr.number);
        summary.merge = merged;
        deps.metrics?.prMerged(merged.outcome);
      }
      break;
    }
    case 'update-pr':
      if (decision.pr !== undefined) {
        const p = plan();
        await port.updatePrBody(decision.pr, p.body);
        // The plan merges when alerts may merge: the answer that opened this PR may have failed to merge
        // it (GitHub failing), and that sender's retry can get this answer without running again.
        if (p.merge) {
          const merged = await port.mergePr(decision.pr);
          summary.merge = merged;
          deps.metrics?.prMerged(merged.outcome);
        }
      }
      break;
    case 'close-pr':
      if (decision.pr !== undefined)
        await port.closePr(
          decision.pr,
          decision.comment ?? decision.reasons.join('\n'),
          branchDeletion(ctx.snap, decision.pr),
        );
      break;
    case 'comment':
      if (decision.pr !== undefined && decision.comment) await port.comment(decision.pr, decision.comment);
      break;
    case 'none':
      break;
  }

  const reason =
    decision.trace.find((r) => !r.ok)?.rule ?? (decision.action === 'none' ? 'no_change' : 'policy');
  deps.metrics?.decision(decision.action, reason);
  deps.log.info(
    {
      event: 'decision',
      repo: `${ctx.req.owner}/${ctx.req.repo}`,
      service: decision.service,
      action: decision.action,
      from: decision.from,
      to: decision.to,
      pr: summary.pr,
      reasons: decision.reasons.map((r) => capEcho(r)),
      trigger: { ...trigger, fingerprints: decision.signals.map((s) => s.fingerprint) },
    },
    'decision',
  );
  return summary;
}

/**
 * Another run opened the PR first (the branch is the lock). The loser re-judges the winner's PR with its
 * own world view: it never merges a PR whose target it sees failing (or whose marker it cannot read),
 * and its answer names the PR that won and what that PR does.
 */
function rejudgeWinner(
  decision: Decision,
  pr: { number: number; body?: string; merged?: boolean },
): { said: string; refuse: boolean } | undefined {
  if (pr.body === undefined) return undefined; // found in our own snapshot: judged already
  const change = parseMarker(pr.body)?.changes[0];
  if (!change)
    return {
      said: `PR #${pr.number} won the branch lock; its marker cannot be read, so it is not merged`,
      refuse: true,
    };
  const what = `PR #${pr.number} won the branch lock; it moves ${change.service} from ${change.from} to ${change.to}`;
  const failing = decision.seenFailing?.[change.to];
  // Merged already: nothing to refuse, but the disagreement is said (verification and rollback act on it).
  if (failing && pr.merged)
    return { said: `${what}; it was already merged, though this replica sees ${failing}`, refuse: true };
  if (failing) return { said: `${what}; not merged: this replica sees ${failing}`, refuse: true };
  return { said: what, refuse: false };
}

function failureAnswer(deps: AlertServiceDeps, repo: string, thrown: unknown): AlertAnswer {
  const err = (typeof thrown === 'object' && thrown !== null ? thrown : {}) as {
    status?: unknown;
    retryable?: unknown;
    retryAfterSeconds?: unknown;
  };
  const status = typeof err.status === 'number' ? err.status : undefined;
  const retryable =
    typeof err.retryable === 'boolean'
      ? err.retryable
      : status === undefined
        ? isNetworkError(thrown)
        : status >= 500 || status === 429;
  if (thrown instanceof ConfigError) {
    deps.log.error({ event: 'config_error', repo, error: thrown.message });
    return {
      status: 200,
      json: { decisions: [], reasons: [`config error, nothing done: ${thrown.message}`] },
    };
  }
  if (retryable) {
    // GitHub's own wait when it gave one (secondary rate limit, exhausted quota), bounded.
    const after = boundedRetryAfter(
      typeof err.retryAfterSeconds === 'number' ? err.retryAfterSeconds : undefined,
    );
    deps.log.warn({ event: 'github_unavailable', repo, error: describeThrown(thrown) });
    return {
      status: 503,
      json: { error: 'github_unavailable', message: 'GitHub is failing; retry later', retryAfter: after },
      headers: { 'retry-after': String(after) },
    };
  }
  deps.log.error({ event: 'alert_failed', repo, error: describeThrown(thrown) });
  return {
    status: 500,
    json: { error: 'internal', message: 'the notification could not be handled (see bot logs)' },
  };
}

function isNetworkError(thrown: unknown): boolean {
  const code = (thrown as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(ECONN|ETIMEDOUT|EAI_AGAIN|ENOTFOUND|UND_ERR|EPIPE)/.test(code);
}

/**
 * A hung GitHub call must not block every later alert for the repo. The work itself cannot be cancelled
 * and may still finish; that is safe because the port is idempotent and the branch is the lock.
 */
function withTimeout(work: Promise<AlertAnswer>, ms: number): Promise<AlertAnswer> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<AlertAnswer>((resolve) => {
    timer = setTimeout(
      () =>
        resolve({
          status: 503,
          json: { error: 'timeout', message: `not finished after ${ms} ms; retry later` },
          headers: { 'retry-after': String(RETRY_AFTER_DEFAULT_S) },
        }),
      ms,
    );
    timer.unref?.();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

const services = new WeakMap<AlertServiceDeps, AlertService>();

/**
 * One-call form: the coalescing state lives with the deps object (one per bot instance), so callers that
 * pass the same deps share single flight and per-repo ordering.
 */
export function handleAlertNotification(deps: AlertServiceDeps, req: AlertRequest): Promise<AlertAnswer> {
  let service = services.get(deps);
  if (!service) {
    service = createAlertService(deps);
    services.set(deps, service);
  }
  return service.handle(req);
}
