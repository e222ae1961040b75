// Which refusals may change on their own within seconds. The bot remembers its answer to a notification
// for a short window so a storm of resends costs nothing; an answer that refused on time (stabilize,
// cooldown, budget, clock) or on the live world (quorum, health, other alerts, an unreadable source)
// must not be remembered, or the resend that arrives once the reason has gone would get the old refusal.
import type { Decision, RuleName } from '../types.js';

/** Rules whose verdict moves with the clock or with the live world, not with the notification. */
const TRANSIENT_RULES: ReadonlySet<RuleName> = new Set<RuleName>([
  'stabilize',
  'clock',
  'cooldown',
  'max_per_day',
  'quorum',
  'target_health',
  'target_alerting',
  'alert_source',
]);

/**
 * True when `decision` refused on a rule that may pass a moment later with the same notification. A
 * failed `target` rule counts too when a failing target was found (`from` is set): no healthy target
 * was left, and health comes back on its own. "Not the active target" (no `from`) does not change by
 * waiting; neither do severity, a freeze, an open PR or a missing permission.
 */
export function mayChangeSoon(decision: Decision): boolean {
  if (decision.action !== 'none') return false;
  return decision.trace.some(
    (r) => !r.ok && (TRANSIENT_RULES.has(r.rule) || (r.rule === 'target' && decision.from !== undefined)),
  );
}
