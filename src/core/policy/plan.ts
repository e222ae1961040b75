// Turns "move this service" into the new state value and its checked edit, for every mode. Shared by
// the alert path, manual commands and groups so all of them pass the same safety checks.
import type { FileEdit, RepoView, RuleResult, ServiceConfig } from '../types.js';
import { type CurrentState, readCurrent, short } from './context.js';
import { checkChange, deepEqual } from './safety.js';
import { allTo, baselineWeights, configuredSum, drain, movement, restore, type Weights } from './weights.js';

export type Move =
  /** Active-passive: this target becomes active. Weighted: all traffic to it. */
  | { type: 'set-active'; to: string }
  /** Every failing target loses its traffic to the receivers (auto path; weighted). */
  | { type: 'drain'; failing: string[]; receivers: string[] }
  /** Back to the primary (active-passive) or the baseline weights (weighted). */
  | { type: 'baseline' }
  /** Weighted: exactly these weights (a drill's failback restores what it found). */
  | { type: 'weights'; weights: Weights };

export interface MemberPlan {
  service: string;
  from: string;
  to: string;
  current: CurrentState;
  next?: unknown;
  /** The value is already what the move asks for: nothing to change. */
  noop: boolean;
  safety: RuleResult;
  edit?: FileEdit;
}

/**
 * The next healthy target in config order after the failing one (wrapping), skipping targets that are
 * alerting. When every other target is alerting the next one is still returned so the trace can say
 * which rule blocks (target_alerting), and a forced manual override has something to act on.
 */
export function planMember(service: string, svc: ServiceConfig, repo: RepoView, move: Move): MemberPlan {
  const current = readCurrent(svc, repo);
  const fail = (from: string, to: string, seen: string): MemberPlan => ({
    service,
    from,
    to,
    current,
    noop: false,
    safety: { rule: 'safety', ok: false, seen: `${service}: ${seen}` },
  });

  if (move.type === 'set-active' && !svc.targets.includes(move.to)) {
    return fail('(unknown)', move.to, `unknown target "${move.to}" (targets: ${svc.targets.join(', ')})`);
  }
  if (!current.ok) {
    const to =
      move.type === 'set-active'
        ? move.to
        : move.type === 'baseline'
          ? (svc.targets[0] as string)
          : '(unknown)';
    const plan = fail('(unknown)', to, current.why);
    // An unknown current value can still be overwritten by a forced manual command, when the file itself
    // is readable and the new value is valid: build the edit so the override has something to ship.
    if (current.text !== undefined && move.type !== 'drain' && move.type !== 'weights') {
      const next =
        svc.mode === 'active-passive'
          ? to
          : move.type === 'baseline'
            ? baselineWeights(svc)
            : allTo({}, to, configuredSum(svc));
      const check = checkChange(service, svc, current.text, next);
      if (check.edit) return { ...plan, next, edit: check.edit };
    }
    return plan;
  }

  let next: unknown;
  let from: string;
  let to: string;
  if (svc.mode === 'active-passive') {
    from = current.value as string;
    if (move.type === 'drain') to = move.receivers[0] ?? from;
    else to = move.type === 'set-active' ? move.to : (svc.targets[0] as string);
    next = to;
  } else {
    const weights = current.value as Weights;
    if (move.type === 'drain') {
      // One decision drains every failing target, one after the other, onto the same receivers.
      next = move.failing.reduce<Weights>(
        (w, failing) => drain(w, failing, move.receivers, baselineWeights(svc)),
        weights,
      );
    } else if (move.type === 'set-active') {
      next = allTo(weights, move.to, configuredSum(svc));
    } else if (move.type === 'weights') next = { ...move.weights };
    else next = restore(weights, baselineWeights(svc));
    ({ from, to } = movement(weights, next as Weights, svc.targets));
  }

  const planned = { service, from, to, current, next };
  if (deepEqual(next, current.value)) {
    return {
      ...planned,
      noop: true,
      safety: { rule: 'safety', ok: true, seen: `${service}: already ${short(next)}, nothing to change` },
    };
  }
  const check = checkChange(service, svc, current.text, next);
  return { ...planned, noop: false, safety: check.rule, ...(check.edit ? { edit: check.edit } : {}) };
}

/**
 * Plans every member in order. Members may share a state file (a group's flags in one tfvars), so each
 * plan reads the text the previous edits produced: edits to one path are sequential (each oldText is the
 * previous newText) and the last edit of a path holds the final content.
 */
export function planMembers(
  members: string[],
  services: Record<string, ServiceConfig>,
  repo: RepoView,
  moveFor: (service: string, svc: ServiceConfig) => Move,
): MemberPlan[] {
  const files = { ...repo.files };
  const view = { ...repo, files };
  return members.map((m) => {
    const svc = services[m] as ServiceConfig;
    const plan = planMember(m, svc, view, moveFor(m, svc));
    if (plan.edit && !plan.noop) files[plan.edit.path] = plan.edit.newText;
    return plan;
  });
}

/** One safety rule for several members (a group): ok only when every member is. */
export function mergeSafety(plans: MemberPlan[]): RuleResult {
  if (plans.length === 1) return (plans[0] as MemberPlan).safety;
  return {
    rule: 'safety',
    ok: plans.every((p) => p.safety.ok),
    seen: plans.map((p) => p.safety.seen).join('; '),
  };
}
