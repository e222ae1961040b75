// decide(): what the alerts in one notification (or a batch) mean for each concerned service or group.
// Every rule is evaluated and traced, even after one has blocked, so the PR or reply shows the whole
// picture; the first failing rule is the headline reason.

import { parseDuration } from '../duration.js';
import type { Decision, FailoverConfig, RepoView, RuleResult, ServiceConfig, Signal } from '../types.js';
import type { WorldView } from '../world.js';
import { groupOf, historyFor, ms, openPrFor, readCurrent, rule } from './context.js';
import { chooseTarget, type MemberPlan, type Move, mergeSafety, planMembers, receiversFor } from './plan.js';
import { decideResolved } from './resolved.js';
import { type Routed, routeRule, routeSignals } from './route.js';
import {
  automationRule,
  cooldownRule,
  freezeRule,
  isStable,
  maxPerDayRule,
  meetsSeverity,
  openPrRule,
  quorumRule,
  reasonOf,
  severityRule,
  stabilizeRule,
  targetAlertingRule,
} from './rules.js';

export interface DecideInput {
  signals: Signal[];
  config: FailoverConfig;
  repo: RepoView;
  now: string;
  /** Firing alerts of the source of record and live target health; absent: none configured. */
  world?: WorldView;
}

/** One Decision per service (or group) that any signal concerns; services no signal matches are left out. */
export function decide(input: DecideInput): Decision[] {
  const { signals, config } = input;
  const routed = routeSignals(config, signals);
  const decisions: Decision[] = [];
  const seenGroups = new Set<string>();
  for (const service of Object.keys(config.services)) {
    const group = groupOf(config, service);
    if (group) {
      if (seenGroups.has(group.name)) continue;
      const all = group.members.flatMap((m) => routed.get(m) ?? []);
      if (all.length === 0) continue;
      seenGroups.add(group.name);
      decisions.push(decideUnit(input, `group-${group.name}`, group.members, all));
    } else {
      const mine = routed.get(service);
      if (mine) decisions.push(decideUnit(input, service, [service], mine));
    }
  }
  return decisions;
}

const ON_ALERT_STRICTNESS = { off: 0, pr: 1, merge: 2 } as const;

function decideUnit(input: DecideInput, id: string, members: string[], routed: Routed[]): Decision {
  const { config, repo, now } = input;
  const firing = routed.filter((r) => r.signal.status === 'firing');
  if (firing.length === 0) return decideResolved({ config, repo, id, members, routed });

  const svcs = new Map(members.map((m) => [m, config.services[m] as ServiceConfig]));
  const currents = new Map(members.map((m) => [m, readCurrent(svcs.get(m) as ServiceConfig, repo)]));
  const failingOf = (r: Routed): string | undefined => {
    if (r.labelled !== undefined) return r.labelled;
    if (r.labelMissing) return undefined;
    const cur = currents.get(r.service);
    return cur?.ok && cur.active.length === 1 ? cur.active[0] : undefined;
  };

  // Firing signals per target (across all members: a target alerting for any member is not healthy).
  const alerting = new Map<string, number>();
  for (const r of firing) {
    const f = failingOf(r);
    if (f !== undefined) alerting.set(f, (alerting.get(f) ?? 0) + 1);
  }

  // The failing target: the first (member order, then config order) that carries traffic now. An alert
  // for a passive target is no reason to move. An unreadable current value cannot rule a target out;
  // the safety rule blocks that case with the reason.
  let trigger: { member: string; failing: string } | undefined;
  for (const m of members) {
    const svc = svcs.get(m) as ServiceConfig;
    const cur = currents.get(m);
    const mine = new Set(firing.filter((r) => r.service === m).map(failingOf));
    const hit = svc.targets.find((t) => mine.has(t) && (!cur?.ok || cur.active.includes(t)));
    if (hit) {
      trigger = { member: m, failing: hit };
      break;
    }
  }

  const trace: RuleResult[] = [routeRule(config, routed, input.signals.length)];
  const lead = svcs.get(trigger?.member ?? (members[0] as string)) as ServiceConfig;
  const auto = lead.automation;
  const failingSignals = trigger ? firing.filter((r) => failingOf(r) === trigger.failing) : firing;
  const signals = failingSignals.map((r) => r.signal);

  // Severity, then stabilize among the qualifying signals, then quorum among the stable ones: a
  // vantage point counts only when its own alert is severe enough and has lasted long enough.
  const qualified = signals.filter((s) => meetsSeverity(s, auto.min_severity));
  const nowMs = ms(now);
  const stabilizeMs = parseDuration(auto.stabilize);
  const stable = qualified.filter((s) => isStable(s, stabilizeMs, nowMs));
  const gates: RuleResult[] = [
    severityRule(signals, auto.min_severity),
    stabilizeRule(qualified.length > 0 ? qualified : signals, auto.stabilize, now),
    quorumRule(stable.length > 0 ? stable : qualified.length > 0 ? qualified : signals, auto.quorum),
    freezeRule(repo.frozen, false),
  ];
  const onAlert = members
    .map((m) => (svcs.get(m) as ServiceConfig).automation.on_alert)
    .reduce((a, b) => (ON_ALERT_STRICTNESS[b] < ON_ALERT_STRICTNESS[a] ? b : a));
  const history = historyFor(repo, members);
  gates.push(
    automationRule(onAlert),
    cooldownRule(history, auto.cooldown, now, false),
    maxPerDayRule(history, auto.max_per_day, now, false),
  );

  if (!trigger) {
    trace.push(
      rule('target', false, describeNoTrigger(firing, members, svcs, currents, failingOf)),
      ...gates,
    );
    // An unreadable or unknown current value is a safety stop of its own: say so, not only "no target".
    for (const m of members) {
      const cur = currents.get(m);
      if (cur && !cur.ok) trace.push(rule('safety', false, `${m}: ${cur.why}`));
    }
    const blocking = trace.filter((r) => !r.ok && (r.rule === 'target' || r.rule === 'safety'));
    return finish(id, members, 'none', trace, [], signals, { reasons: blocking.map(reasonOf) });
  }

  const { failing } = trigger;
  const chosen = chooseTarget(lead.targets, failing, alerting) ?? failing;
  const plans = planMembers(
    members,
    config.services,
    repo,
    (_m, svc): Move =>
      svc.mode === 'weighted' ? { type: 'drain', failing, alerting } : { type: 'set-active', to: chosen },
  );
  const leadPlan = plans[members.indexOf(trigger.member)] as MemberPlan;
  const to = lead.mode === 'weighted' ? leadPlan.to : chosen;
  const label = failingSignals[0]?.labelled !== undefined ? 'from the target label' : 'the active target';
  trace.push(rule('target', true, `${failing} is failing (${label}); new target ${to}`), ...gates);

  const pr = openPrFor(repo, id, members);
  trace.push(openPrRule(pr, to));
  const receivers = lead.mode === 'weighted' ? receiversFor(lead.targets, failing, alerting) : [chosen];
  trace.push(targetAlertingRule(receivers, alerting));
  if (members.length > 1) trace.push(groupRule(plans, failing));
  trace.push(mergeSafety(plans));

  const edits = plans.flatMap((p) => (p.edit && !p.noop ? [p.edit] : []));
  const failed = trace.filter((r) => !r.ok);
  const extra = { from: failing, to, edits };
  if (failed.length === 0) {
    if (pr && (pr.humanEdited || pr.marker.kind !== 'auto')) {
      // Renovate's rule: a branch a person pushed to, or a PR a person asked for, is theirs. The alert
      // agrees with it, so there is nothing to add and nothing to take over.
      const whose = pr.humanEdited
        ? 'a person pushed to its branch'
        : `it was opened by a ${pr.marker.kind} command`;
      return finish(id, members, 'none', trace, edits, signals, {
        ...extra,
        pr: pr.number,
        reasons: [`PR #${pr.number} already moves ${id} to ${to}; left as it is (${whose})`],
      });
    }
    if (pr) {
      return finish(id, members, 'update-pr', trace, edits, signals, {
        ...extra,
        pr: pr.number,
        reasons: [`${failing} is failing; PR #${pr.number} already moves ${id} to ${to} (updated)`],
      });
    }
    const verb = onAlert === 'merge' ? 'merging' : 'opening a PR';
    return finish(id, members, onAlert === 'merge' ? 'merge' : 'open-pr', trace, edits, signals, {
      ...extra,
      reasons: [
        `${failing} is failing (${signals.length} alert${signals.length === 1 ? '' : 's'}); ${verb} to move ${id} to ${to}`,
      ],
    });
  }
  if (pr && failed.length === 1 && failed[0]?.rule === 'open_pr') {
    const prTo = pr.marker.changes[0]?.to ?? '(unknown)';
    return finish(id, members, 'comment', trace, edits, signals, {
      ...extra,
      pr: pr.number,
      reasons: [reasonOf(failed[0])],
      comment:
        `Alerts say ${failing} is failing and ${id} should move to ${to}, but this PR moves it to ${prTo}. ` +
        'No second PR is opened: merge this one, or close it with `/failover cancel` and the next alert decides again.',
    });
  }
  return finish(id, members, 'none', trace, edits, signals, { ...extra, reasons: failed.map(reasonOf) });
}

function groupRule(plans: MemberPlan[], failing: string): RuleResult {
  const odd = plans.filter(
    (p) => !p.noop && p.current.ok && p.from !== failing && !p.from.split(', ').includes(failing),
  );
  const seen = plans.map((p) =>
    p.noop ? `${p.service}: already ${p.to}` : `${p.service}: ${p.from} → ${p.to}`,
  );
  if (odd.length > 0) {
    return rule(
      'group',
      false,
      `${odd.map((p) => `${p.service} is on ${p.from}, not ${failing}`).join('; ')}`,
    );
  }
  return rule(
    'group',
    plans.some((p) => !p.noop),
    `flip together: ${seen.join('; ')}`,
  );
}

function describeNoTrigger(
  firing: Routed[],
  members: string[],
  svcs: Map<string, ServiceConfig>,
  currents: Map<string, ReturnType<typeof readCurrent>>,
  failingOf: (r: Routed) => string | undefined,
): string {
  const missing = firing.filter((r) => r.labelMissing);
  if (missing.length === firing.length) {
    const labelName = svcs.get(firing[0]?.service ?? '')?.alerts[firing[0]?.route ?? 0]?.target_label;
    return `the alerts carry no ${labelName ?? 'target'} label, so the failing target is unknown`;
  }
  const named = [...new Set(firing.map(failingOf).filter((t): t is string => t !== undefined))];
  const allTargets = new Set(members.flatMap((m) => (svcs.get(m) as ServiceConfig).targets));
  const unknown = named.filter((t) => !allTargets.has(t));
  const active = members
    .map((m) => {
      const cur = currents.get(m);
      return cur?.ok ? cur.active.join('+') : '(unreadable)';
    })
    .join(', ');
  if (named.length === 0) return `cannot tell which target is failing (active: ${active})`;
  if (unknown.length === named.length) return `alert names ${unknown.join(', ')}, which is not a target`;
  return `alert for ${named.join(', ')}, which is not active (active: ${active}); a passive target failing is no reason to move`;
}

function finish(
  service: string,
  services: string[],
  action: Decision['action'],
  trace: RuleResult[],
  edits: Decision['edits'],
  signals: Signal[],
  extra: Partial<Decision> & { reasons: string[] },
): Decision {
  return { service, services, action, kind: 'auto', trace, edits, signals, ...extra };
}
