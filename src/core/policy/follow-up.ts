// What the results loop does after the Action reported: roll back a failed verification, or continue a
// drill with its failback leg. Both reuse the manual-command policy (same safety rules, same trace) with
// the app as the actor, then re-label the decision. Pure: the caller passes the repo view and the time.
import type { Actor, Decision, FailoverConfig, FailoverMarker, RepoView, ServiceConfig } from '../types.js';
import type { WorldView } from '../world.js';
import { rule } from './context.js';
import { decideCommand } from './manual.js';

/** What the Action's `gitops-failover/verify` check run says about one applied commit. */
export interface VerifyRecord {
  services: string[];
  changes: { service: string; from: string; to: string }[];
  pr?: number;
  sha?: string;
  applied: boolean;
  verified: boolean;
  appliedAt?: string;
  verifiedAt?: string;
  rtoSeconds?: number;
  failure?: string;
  kind?: string;
}

/** The app acts with full rights on follow-ups: the human decision was the merge of the original PR. */
export const APP_ACTOR: Actor = { login: 'gitops-failover[bot]', permission: 'admin' };

function refuse(service: string, why: string, kind: Decision['kind']): Decision {
  return {
    service,
    services: [],
    action: 'none',
    kind,
    reasons: [why],
    trace: [rule('automation', false, why)],
    edits: [],
    signals: [],
  };
}

/**
 * Roll a failed verification back to the `from` value of each change. Refused for databases (never
 * automatically: split-brain risk), for services without `rollback_on_failed_verify`, for weighted
 * services (the record carries targets, not weights), and for rollbacks themselves (no ping-pong).
 */
export function decideRollback(input: {
  record: VerifyRecord;
  marker: FailoverMarker;
  prNumber: number;
  config: FailoverConfig;
  repo: RepoView;
  now: string;
  world?: WorldView;
}): Decision {
  const { record, marker, config } = input;
  const change = record.changes[0] ?? marker.changes[0];
  const name = change?.service ?? marker.services[0] ?? '(none)';
  if (record.verified) return refuse(name, 'verification passed: nothing to roll back', 'rollback');
  if (!change) return refuse(name, 'the verify record names no change to roll back', 'rollback');
  if (marker.kind === 'rollback')
    return refuse(name, `PR #${input.prNumber} is itself a rollback: not rolling back again`, 'rollback');
  const services = record.changes.length > 0 ? record.changes.map((c) => c.service) : marker.services;
  for (const s of services) {
    const svc: ServiceConfig | undefined = config.services[s];
    if (!svc) return refuse(name, `service ${s} is no longer in the config`, 'rollback');
    if (svc.kind === 'database')
      return refuse(s, `${s} is a database: never rolled back automatically (fail back by hand)`, 'rollback');
    if (!svc.automation.rollback_on_failed_verify)
      return refuse(s, `${s} has automation.rollback_on_failed_verify off`, 'rollback');
    if (svc.mode === 'weighted')
      return refuse(s, `${s} is weighted: roll back with /failback or /failover`, 'rollback');
  }
  if (input.repo.frozen)
    return refuse(name, 'frozen: no automatic rollback while the freeze file exists', 'rollback');
  // Only to a target that is healthy now: the world as it is, not as it was before the failover.
  const decision = decideCommand({
    command: { verb: 'failover', service: change.service, target: change.from },
    actor: APP_ACTOR,
    config,
    repo: input.repo,
    now: input.now,
    ...(input.world ? { world: input.world } : {}),
  });
  const why = `rollback of #${input.prNumber}: verification failed${record.failure ? ` (${record.failure})` : ''}`;
  return withUnseen({ ...decision, kind: 'rollback', reasons: [why, ...decision.reasons] });
}

/**
 * The failback leg of a drill once its failover leg verified: back to the primary. Databases get the
 * PR but it is never merged automatically (`merge: false` tells the caller).
 */
export function decideDrillFailback(input: {
  marker: FailoverMarker;
  prNumber: number;
  config: FailoverConfig;
  repo: RepoView;
  now: string;
  world?: WorldView;
}): { decision: Decision; merge: boolean } {
  const { marker, config } = input;
  const name = marker.services[0] ?? '(none)';
  if (marker.kind !== 'drill' || marker.drill?.leg !== 'failover')
    return {
      decision: refuse(name, `PR #${input.prNumber} is not a drill's failover leg`, 'drill'),
      merge: false,
    };
  // Back to where traffic was before the drill (active-passive: the leg's `from`; weighted: the weights
  // the drill found), and only when that target is healthy and not alerting; otherwise stop and report.
  const from = marker.changes[0]?.from;
  const weighted = marker.services.some((s) => config.services[s]?.mode === 'weighted');
  const decision = decideCommand({
    command:
      weighted || from === undefined || from === '?'
        ? { verb: 'failback', service: name }
        : { verb: 'failover', service: name, target: from },
    // Weighted: the weights the drill found (older drill markers without them fall back to the baseline).
    ...(marker.drill?.before ? { restore: marker.drill.before } : {}),
    actor: APP_ACTOR,
    config,
    repo: input.repo,
    now: input.now,
    ...(input.world ? { world: input.world } : {}),
  });
  const database = marker.services.some((s) => config.services[s]?.kind === 'database');
  const why = `drill failback after #${input.prNumber} verified`;
  const judged = withUnseen({ ...decision, kind: 'drill', reasons: [why, ...decision.reasons] });
  return { decision: judged, merge: !database && !judged.unseen };
}

/**
 * A follow-up that could not see its destination (alerts unreadable, health unreadable or inconclusive)
 * is opened for a person, never merged. "None configured" is not unseen: it is decided on what it has.
 */
function withUnseen(decision: Decision): Decision {
  const unseen = decision.trace
    .filter((r) => r.checked === false && (r.rule === 'target_health' || r.rule === 'target_alerting'))
    .filter((r) => !/none configured/.test(r.seen))
    .map((r) => r.seen);
  return unseen.length > 0 ? { ...decision, unseen: [...new Set(unseen)] } : decision;
}
