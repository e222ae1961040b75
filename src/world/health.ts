// Live health of one target: the service's `preflight` checks, run through the src/verify probes, once
// each and bounded in time. A decision cannot wait for a streak of successes the way the Action's
// preflight does, so every check gets one attempt (successes 1, failure_limit 0) within the bound.
// Any check failing → down; every check passing → up; anything else (no answer in time, an empty
// Prometheus result) → inconclusive, which is not healthy for automatic actions.
import type { ServiceConfig } from '../core/config/schema.js';
import { formatDuration, parseDuration } from '../core/duration.js';
import type { HealthVerdict, WorldRead } from '../core/world.js';
import { type CheckReport, runChecks } from '../verify/index.js';

export interface HealthOptions {
  /** Upper bound for the whole read (default 5 s); the service's preflight timeout if that is shorter. */
  boundMs?: number;
  now?: () => number;
}

export const DEFAULT_HEALTH_BOUND_MS = 5_000;

export async function readTargetHealth(
  service: ServiceConfig,
  target: string,
  opts: HealthOptions = {},
): Promise<WorldRead<HealthVerdict>> {
  const checks = service.preflight.checks;
  if (checks.length === 0) return { status: 'not-configured' };
  const bound = Math.min(opts.boundMs ?? DEFAULT_HEALTH_BOUND_MS, parseDuration(service.preflight.timeout));
  const once = checks.map((c) => ({ ...c, successes: 1, failure_limit: 0 }));
  const report = await runChecks(once, { target, timeoutMs: bound, ...(opts.now ? { now: opts.now } : {}) });
  return { status: 'read', value: verdictOf(report.checks, bound) };
}

export function verdictOf(checks: CheckReport[], boundMs: number): HealthVerdict {
  const failed = checks.filter((c) => !c.ok && !timedOut(c) && c.attempts.at(-1)?.ok === false);
  if (failed.length > 0) return { health: 'down', detail: failed.map(describe).join('; ') };
  const unsure = checks.filter((c) => !c.ok);
  if (unsure.length > 0) {
    return {
      health: 'inconclusive',
      detail: unsure.map((c) => `${c.name}: no verdict within ${formatDuration(boundMs)}`).join('; '),
    };
  }
  return { health: 'up', detail: '' };
}

/** An attempt cut by a timeout says nothing about the target (it may be the network or the bound). */
function timedOut(c: CheckReport): boolean {
  const last = c.attempts.at(-1);
  return last === undefined || /timed out|no answer|overall timeout/.test(last.error ?? '');
}

const GENERIC = new Set(['no response', 'error', 'no answer']);

/** "healthz: HTTP 503", or the error when the probe saw nothing more specific. */
function describe(c: CheckReport): string {
  const last = c.attempts.at(-1);
  const seen = last && !GENERIC.has(last.observed) ? last.observed : (last?.error ?? c.message);
  return `${c.name}: ${seen}`;
}
