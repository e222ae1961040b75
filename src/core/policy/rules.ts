// One function per policy rule. Each returns a RuleResult with the value it saw, so the PR's decision
// trace can show why automation did or did not act. Rules never throw and never look at the clock.
import { formatDuration, parseDuration } from '../duration.js';
import { labelValue } from '../matchers.js';
import type { FailoverRecord, OpenFailoverPr, RuleResult, ServiceConfig, Signal } from '../types.js';
import { ms, rule, SEVERITY_RANK, severityRank } from './context.js';

const DAY_MS = 86_400_000;

/** How a counted PR is named in a refusal ("last automatic failover 12m ago, PR #41"). */
const KIND_NAME: Record<FailoverRecord['kind'], string> = {
  auto: 'automatic failover',
  rollback: 'rollback',
  manual: 'manual failover',
  failback: 'failback',
  drill: 'drill',
};

/**
 * The anti-flap budget: automatic failovers and rollbacks. Drills and manual moves are in the history
 * but use it up only with `automation.count_manual: true`.
 */
export function budgetHistory(history: FailoverRecord[], countManual: boolean): FailoverRecord[] {
  return countManual ? history : history.filter((h) => h.kind === 'auto' || h.kind === 'rollback');
}

export function severityRule(
  signals: Signal[],
  min: ServiceConfig['automation']['min_severity'],
): RuleResult {
  const need = SEVERITY_RANK[min];
  let best: string | undefined;
  let bestRank = -1;
  for (const s of signals) {
    const r = severityRank(s.labels.severity);
    if (r > bestRank) {
      bestRank = r;
      best = s.labels.severity;
    }
  }
  const seen = best === undefined ? 'no severity label' : `highest severity ${best}`;
  return rule('severity', bestRank >= need, `${seen} (need ${min} or above)`);
}

export function meetsSeverity(s: Signal, min: ServiceConfig['automation']['min_severity']): boolean {
  return severityRank(s.labels.severity) >= SEVERITY_RANK[min];
}

export function stabilizeRule(signals: Signal[], stabilize: string, now: string): RuleResult {
  const need = parseDuration(stabilize);
  const nowMs = ms(now);
  let longest = Number.NEGATIVE_INFINITY;
  for (const s of signals) longest = Math.max(longest, nowMs - ms(s.startsAt));
  if (!Number.isFinite(longest)) {
    return rule('stabilize', need === 0, `no valid startsAt (need ${stabilize})`);
  }
  return rule('stabilize', longest >= need, `firing for ${formatDuration(longest)} (need ${stabilize})`);
}

export function isStable(s: Signal, stabilizeMs: number, nowMs: number): boolean {
  return nowMs - ms(s.startsAt) >= stabilizeMs;
}

export function quorumRule(signals: Signal[], quorum: ServiceConfig['automation']['quorum']): RuleResult {
  if (!quorum) return rule('quorum', true, 'no quorum configured');
  const values = new Set<string>();
  for (const s of signals) {
    const v = labelValue(s.labels, quorum.label);
    if (v !== undefined && v !== '') values.add(v);
  }
  const list = [...values].sort();
  const shown = list.length > 0 ? ` [${list.slice(0, 5).join(', ')}${list.length > 5 ? ', ...' : ''}]` : '';
  return rule(
    'quorum',
    values.size >= quorum.min,
    `${values.size} distinct ${quorum.label} value${values.size === 1 ? '' : 's'}${shown} (need ${quorum.min})`,
  );
}

export function freezeRule(frozen: boolean, manual: boolean): RuleResult {
  if (!frozen) return rule('freeze', true, 'not frozen');
  if (manual) return rule('freeze', true, 'frozen (freeze file present); manual commands still allowed');
  return rule('freeze', false, 'frozen: the freeze file exists on the default branch');
}

export function automationRule(onAlert: ServiceConfig['automation']['on_alert']): RuleResult {
  return rule('automation', onAlert !== 'off', `on_alert: ${onAlert}`);
}

export function cooldownRule(
  history: FailoverRecord[],
  cooldown: string,
  now: string,
  manual: boolean,
): RuleResult {
  const need = parseDuration(cooldown);
  const last = history[0];
  if (!last) return rule('cooldown', true, `no earlier failover (cooldown ${cooldown})`);
  const ago = ms(now) - ms(last.mergedAt);
  const seen = `last ${KIND_NAME[last.kind]} ${formatDuration(ago)} ago, PR #${last.pr} (need ${cooldown})`;
  if (manual) return rule('cooldown', true, `skipped for manual commands; ${seen}`);
  return rule('cooldown', !(ago < need), seen);
}

export function maxPerDayRule(
  history: FailoverRecord[],
  max: number,
  now: string,
  manual: boolean,
): RuleResult {
  const nowMs = ms(now);
  const counted = history.filter((h) => nowMs - ms(h.mergedAt) < DAY_MS);
  const count = counted.length;
  const which = counted
    .slice(0, 5)
    .map((h) => `#${h.pr} ${h.kind}`)
    .join(', ');
  const seen = `${count} failover${count === 1 ? '' : 's'} in the last 24h${which ? ` (${which})` : ''} (max ${max})`;
  if (manual) return rule('max_per_day', true, `skipped for manual commands; ${seen}`);
  return rule('max_per_day', count < max, seen);
}

/** An open failover PR for the service: same target → update it; another target → conflict. */
export function openPrRule(pr: OpenFailoverPr | undefined, to: string | undefined): RuleResult {
  if (!pr) return rule('open_pr', true, 'no open failover PR');
  const change = pr.marker.changes[0];
  const prTo = change?.to;
  if (to !== undefined && prTo === to) {
    return rule('open_pr', true, `PR #${pr.number} already moves to ${to}; it is updated, not duplicated`);
  }
  return rule(
    'open_pr',
    false,
    `PR #${pr.number} is open and moves to ${prTo ?? '(unknown)'}, not ${to ?? '(none)'}`,
  );
}

/** The chosen target must not be alerting itself (for this service, or any group member). */
export function targetAlertingRule(
  to: string[],
  alerting: Map<string, number>,
  /** Why the source of record was not read (undefined when it was): "no firing alert" is then unproven. */
  sourceNotChecked?: string,
): RuleResult {
  if (to.length === 0) return rule('target_alerting', false, 'no target to move to');
  const hot = to.filter((t) => (alerting.get(t) ?? 0) > 0);
  if (hot.length === 0) {
    if (sourceNotChecked === undefined)
      return rule('target_alerting', true, `${to.join(', ')}: no firing alert`);
    return {
      ...rule(
        'target_alerting',
        true,
        `${to.join(', ')}: no alert in this event; source of record not checked: ${sourceNotChecked}`,
      ),
      checked: false,
    };
  }
  return rule(
    'target_alerting',
    false,
    hot.map((t) => `${t} has ${alerting.get(t)} firing alert${alerting.get(t) === 1 ? '' : 's'}`).join('; '),
  );
}

/** Headline-sized reason for a failing rule: `cooldown: last failover 12m ago (need 1h)`. */
export function reasonOf(r: RuleResult): string {
  return `${r.rule}: ${r.seen}`;
}
