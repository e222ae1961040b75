// Runs checks the way Argo Rollouts runs analyses: attempts every `interval`, a verdict once
// `successes` attempts in a row succeeded, or once more than `failure_limit` attempts failed, or when
// the overall time runs out. All checks run concurrently, so a service's verification takes about as
// long as its slowest check. The clock and sleep are injectable; per-attempt timeouts use real timers
// because they bound real network I/O.
import { setTimeout as delay } from 'node:timers/promises';
import type { CheckConfig } from '../core/config/schema.js';
import { formatDuration, parseDuration } from '../core/duration.js';
import { describeThrown } from '../core/errors.js';
import { createProbe, probeKind } from './probes/index.js';
import { redactText } from './redact.js';
import { attemptCounts } from './render.js';
import { substituteTarget } from './substitute.js';
import type { Attempt, CheckReport, Probe, ProbeKind, ProbeOutcome, Verdict, VerifyReport } from './types.js';

export interface RunChecksOptions {
  /** Replaces `{target}` in every string of every check. */
  target: string;
  /** Overall time for all checks (they run concurrently, so this is per check too). */
  timeoutMs: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Aborting stops every check promptly; unfinished checks end `inconclusive`. */
  signal?: AbortSignal;
}

export const DEFAULT_ATTEMPT_TIMEOUT_MS = 10_000;
/** setTimeout fires at once for delays beyond 2^31-1 ms, so longer waits are capped (about 24.8 days). */
const MAX_TIMER_MS = 2_147_483_647;
const DEFAULT_INTERVAL = '10s';

/** A check with `{target}` substituted and its settings read; `problem` when it cannot run at all. */
export interface PreparedCheck {
  name: string;
  kind: ProbeKind;
  probe?: Probe;
  problem?: string;
  intervalMs: number;
  successes: number;
  failureLimit?: number;
  attemptTimeoutMs: number;
}

export interface RunContext {
  now: () => number;
  /** Resolves false when the run was aborted during the sleep. */
  sleep: (ms: number) => Promise<boolean>;
  signal: AbortSignal;
  deadline: number;
  timeoutMs: number;
}

export async function runChecks(checks: CheckConfig[], opts: RunChecksOptions): Promise<VerifyReport> {
  const now = opts.now ?? Date.now;
  const signal = opts.signal ?? new AbortController().signal;
  const timeoutMs = Number.isNaN(opts.timeoutMs) ? 0 : Math.min(MAX_TIMER_MS, Math.max(0, opts.timeoutMs));
  const started = now();
  const ctx: RunContext = {
    now,
    signal,
    timeoutMs,
    deadline: started + timeoutMs,
    sleep: abortableSleep(opts.sleep, signal),
  };
  const reports = await Promise.all(checks.map((c) => runPreparedCheck(prepareCheck(c, opts.target), ctx)));
  return { ok: reports.every((r) => r.ok), startedAt: iso(started), finishedAt: iso(now()), checks: reports };
}

export function prepareCheck(check: CheckConfig, target: string): PreparedCheck {
  const c = substituteTarget(check, target);
  const prepared: PreparedCheck = {
    name: redactText(c.name),
    kind: probeKind(c),
    intervalMs: 0,
    successes: Math.max(1, c.successes ?? 1),
    attemptTimeoutMs: DEFAULT_ATTEMPT_TIMEOUT_MS,
  };
  if (c.failure_limit !== undefined) prepared.failureLimit = c.failure_limit;
  try {
    prepared.intervalMs = parseDuration(c.interval ?? DEFAULT_INTERVAL);
    if (c.timeout !== undefined) prepared.attemptTimeoutMs = parseDuration(c.timeout);
    prepared.probe = createProbe(c);
  } catch (err: unknown) {
    prepared.problem = redactText(describeThrown(err));
  }
  return prepared;
}

export async function runPreparedCheck(p: PreparedCheck, ctx: RunContext): Promise<CheckReport> {
  const attempts: Attempt[] = [];
  const done = (verdict: Verdict, message: string): CheckReport => ({
    name: p.name,
    kind: p.kind,
    ok: verdict === 'pass',
    verdict,
    attempts,
    message,
  });
  const aborted = () =>
    done('inconclusive', `stopped before a verdict: verification was aborted (${tally(attempts)})`);
  // An attempt cut short by the overall deadline proves nothing either way, so the verdict at the
  // deadline is read from the last attempt that ran to its end.
  let lastFinished: Attempt | undefined;
  const outOfTime = () => {
    const last = lastFinished ?? attempts.at(-1);
    const verdict: Verdict = last?.ok === null ? 'inconclusive' : 'timeout';
    const what = verdict === 'inconclusive' ? 'no conclusive result' : `did not reach ${inARow(p.successes)}`;
    const lastSeen = last ? `; last: ${last.error ?? last.observed}` : '';
    return done(verdict, `${what} within ${formatDuration(ctx.timeoutMs)} (${tally(attempts)})${lastSeen}`);
  };

  if (!p.probe) return done('fail', `cannot run: ${p.problem ?? 'no probe'}`);
  let streak = 0;
  let failures = 0;
  for (;;) {
    if (ctx.signal.aborted) return aborted();
    const start = ctx.now();
    const remaining = ctx.deadline - start;
    if (remaining <= 0) return outOfTime();
    const { attempt, cutByDeadline } = await runAttempt(p.probe, p.attemptTimeoutMs, ctx, start, remaining);
    attempts.push(attempt);
    if (ctx.signal.aborted) return aborted();
    if (cutByDeadline) return outOfTime();
    lastFinished = attempt;
    const ok = attempt.ok;
    if (ok === true) {
      streak++;
      if (streak >= p.successes)
        return done('pass', `${inARow(p.successes)} after ${plural(attempts.length, 'attempt')}`);
    } else {
      // Inconclusive attempts break the streak but are not failures (Argo counts them separately).
      streak = 0;
      if (ok === false) failures++;
      if (p.failureLimit !== undefined && failures > p.failureLimit) {
        return done(
          'fail',
          `gave up after ${plural(failures, 'failed attempt')} (failure_limit ${p.failureLimit})${lastText(attempts)}`,
        );
      }
    }
    // Attempts start every interval; a slow attempt does not push the schedule back.
    const next = start + p.intervalMs;
    if (next >= ctx.deadline) return outOfTime();
    const wait = next - ctx.now();
    if (wait > 0 && !(await ctx.sleep(wait))) return aborted();
  }
}

async function runAttempt(
  probe: Probe,
  attemptTimeoutMs: number,
  ctx: RunContext,
  start: number,
  remaining: number,
): Promise<{ attempt: Attempt; cutByDeadline: boolean }> {
  const limit = Math.min(attemptTimeoutMs, remaining, MAX_TIMER_MS);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), limit);
  const stop = () => controller.abort();
  ctx.signal.addEventListener('abort', stop, { once: true });
  let outcome: ProbeOutcome;
  try {
    // Raced against the signal so a probe that ignores it still cannot hold the run up.
    const gaveUp = new Promise<ProbeOutcome>((resolve) =>
      controller.signal.addEventListener('abort', () => resolve({ ok: false, observed: 'no answer' }), {
        once: true,
      }),
    );
    outcome = await Promise.race([probe.attempt(controller.signal), gaveUp]);
  } catch (err: unknown) {
    outcome = { ok: false, observed: 'error', error: redactText(describeThrown(err)) };
  } finally {
    clearTimeout(timer);
    ctx.signal.removeEventListener('abort', stop);
  }
  let cutByDeadline = false;
  if (controller.signal.aborted && outcome.ok !== true) {
    cutByDeadline = !ctx.signal.aborted && remaining < attemptTimeoutMs;
    outcome = ctx.signal.aborted
      ? { ok: null, observed: outcome.observed, error: 'stopped: verification was aborted' }
      : {
          ok: false,
          observed: outcome.observed,
          error: cutByDeadline
            ? `no answer before the overall timeout (${formatDuration(ctx.timeoutMs)})`
            : `timed out after ${formatDuration(limit)}`,
        };
  }
  const attempt: Attempt = {
    at: iso(start),
    ok: outcome.ok,
    ms: Math.max(0, ctx.now() - start),
    observed: outcome.observed,
  };
  if (outcome.error !== undefined && outcome.ok !== true) attempt.error = outcome.error;
  return { attempt, cutByDeadline };
}

/** Wraps the injected (or real) sleep so an abort ends it at once and leaves no listener behind. */
function abortableSleep(sleep: ((ms: number) => Promise<void>) | undefined, signal: AbortSignal) {
  return async (ms: number): Promise<boolean> => {
    if (signal.aborted) return false;
    if (!sleep) {
      try {
        await delay(ms, undefined, { signal });
        return true;
      } catch {
        return false;
      }
    }
    let onAbort = () => {};
    const aborted = new Promise<boolean>((resolve) => {
      onAbort = () => resolve(false);
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([sleep(ms).then(() => true), aborted]);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  };
}

function tally(attempts: Attempt[]): string {
  const parts = attemptCounts(attempts);
  return `${plural(attempts.length, 'attempt')}${parts.length > 0 ? `: ${parts.join(', ')}` : ''}`;
}

function lastText(attempts: Attempt[]): string {
  const last = attempts.at(-1);
  return last ? `; last: ${last.error ?? last.observed}` : '';
}

function inARow(n: number): string {
  return n === 1 ? '1 success' : `${n} successes in a row`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
