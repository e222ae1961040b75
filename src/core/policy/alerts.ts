// decide(): what the alerts of one notification (or a batch) mean for each concerned service or group,
// seen against the whole world: every alert firing in the source of record and the live health of each
// candidate target. Named steps: route signals → failing targets → candidate health → gates → plan →
// conclude. Every rule is evaluated and traced, even after one has blocked, so the PR or reply shows
// the whole picture; the first failing rule is the headline reason.
import { parseDuration } from '../duration.js';
import type { Decision, FailoverConfig, RepoView, RuleResult, ServiceConfig, Signal } from '../types.js';
import type { FiringAlert, WorldView } from '../world.js';
import { groupOf, historyFor, ms, openPrFor, readCurrent, rule, SEVERITY_RANK } from './context.js';
import { type MemberPlan, type Move, mergeSafety, planMembers } from './plan.js';
import { decideResolved } from './resolved.js';
import { type Routed, routeRule, routeSignals } from './route.js';
import {
  automationRule,
  budgetHistory,
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
import {
  alertSourceRule,
  chooseHealthy,
  type FailingTargets,
  failingTargets,
  healthStandings,
  isSkewed,
  type SeenSignals,
  type Standing,
  seenSignals,
  targetHealthRule,
  unseenParts,
} from './world-view.js';

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
  const seen = seenSignals(config, signals, input.world, input.now);
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
      decisions.push(decideUnit(input, seen, `group-${group.name}`, group.members, all));
    } else {
      const mine = routed.get(service);
      if (mine) decisions.push(decideUnit(input, seen, service, [service], mine));
    }
  }
  return decisions;
}

const ON_ALERT_STRICTNESS = { off: 0, pr: 1, merge: 2 } as const;

interface Unit {
  input: DecideInput;
  seen: SeenSignals;
  id: string;
  members: string[];
  svcs: Map<string, ServiceConfig>;
  lead: ServiceConfig;
}

function decideUnit(
  input: DecideInput,
  seen: SeenSignals,
  id: string,
  members: string[],
  routed: Routed[],
): Decision {
  const { config, repo } = input;
  const resolvedHere = new Set(seen.resolved.map((s) => s.fingerprint));
  const firingHere = routed.filter((r) => !resolvedHere.has(r.signal.fingerprint));
  if (firingHere.length === 0) {
    return decideResolved({
      config,
      repo,
      id,
      members,
      routed,
      seen,
      ...(input.world ? { world: input.world } : {}),
    });
  }
  const svcs = new Map(members.map((m) => [m, config.services[m] as ServiceConfig]));
  const unit: Unit = {
    input,
    seen,
    id,
    members,
    svcs,
    lead: svcs.get(members[0] as string) as ServiceConfig,
  };

  // Step: failing targets (the event's alerts and the source of record's, one function for every path).
  const failing = failingTargets(config, repo, members, seen.firingRouted);
  const trace: RuleResult[] = [
    routeRule(config, routed, input.signals.length),
    alertSourceRule(input.world, seen, input.signals),
  ];
  const trigger = findTrigger(unit, failing);
  if (!trigger) return noTrigger(unit, failing, firingHere, trace);
  unit.lead = svcs.get(trigger.member) as ServiceConfig;

  // Step: candidate health. Every target's standing; the destination is the first healthy in config order.
  const { failingNow, choice, receivers, to, plans } = planMove(unit, failing, trigger.failing);
  const signals = trigger.signals;
  const gates = gateRules(unit, signals);
  const targetLine = choice.refusal
    ? rule('target', false, choice.refusal)
    : rule('target', true, `${trigger.failing} is failing (${trigger.how}); new target ${to}`);
  trace.push(targetLine, ...gates);

  const pr = openPrFor(repo, id, members);
  const alerting = new Map([...failing.byTarget].map(([t, a]) => [t, a.length] as const));
  const sourceNotChecked = notCheckedWhy(input.world);
  trace.push(
    targetAlertingRule(receivers, alerting, sourceNotChecked),
    targetHealthRule(healthStandings(config, members, receivers, input.world), receivers),
  );
  if (members.length > 1) trace.push(groupRule(plans, trigger.failing));
  trace.push(mergeSafety(plans));

  const edits = plans.flatMap((p) => (p.edit && !p.noop ? [p.edit] : []));
  const extra = { from: trigger.failing, to, edits };
  const unseen = unseenParts(input.world, choice, receivers);
  const seenFailing = Object.fromEntries(
    choice.standings.flatMap((s) => (s.kind === 'failing' ? [[s.target, s.why]] : [])),
  );
  const finishUnit = (action: Decision['action'], more: Partial<Decision> & { reasons: string[] }) =>
    finish(id, members, action, trace, edits, signals, {
      ...extra,
      ...more,
      seenFailing,
      ...(unseen.length > 0 ? { unseen } : {}),
    });

  // Step: conclude. An open PR is judged first: it may be ours to move, a drill to end, or a person's.
  const supersedes = pr ? judgeOpenPr(unit, pr, choice.standings, trigger.failing, failingNow) : undefined;
  if (supersedes && 'decision' in supersedes) return { ...supersedes.decision, trace };
  const openPr = supersedes ? undefined : pr;
  trace.push(openPrRule(openPr, to));
  const failed = trace.filter((r) => !r.ok);
  if (failed.length === 0) {
    if (openPr && (openPr.humanEdited || openPr.marker.kind !== 'auto')) {
      // Renovate's rule: a branch a person pushed to, or a PR a person asked for, is theirs. The alert
      // agrees with it, so there is nothing to add and nothing to take over.
      const whose = openPr.humanEdited
        ? 'a person pushed to its branch'
        : `it was opened by a ${openPr.marker.kind} command`;
      return finishUnit('none', {
        pr: openPr.number,
        reasons: [`PR #${openPr.number} already moves ${id} to ${to}; left as it is (${whose})`],
      });
    }
    if (openPr) {
      return finishUnit('update-pr', {
        pr: openPr.number,
        reasons: [
          `${trigger.failing} is failing; PR #${openPr.number} already moves ${id} to ${to} (updated)`,
        ],
      });
    }
    const merge = strictestOnAlert(unit) === 'merge' && unseen.length === 0;
    const verb = merge ? 'merging' : 'opening a PR';
    const n = signals.length;
    const reasons = [
      `${trigger.failing} is failing (${n} alert${n === 1 ? '' : 's'}); ${verb} to move ${id} to ${to}`,
    ];
    if (unseen.length > 0 && strictestOnAlert(unit) === 'merge')
      reasons.push(`not merged automatically: could not see ${unseen.join('; ')}`);
    return finishUnit(merge ? 'merge' : 'open-pr', {
      reasons,
      ...(supersedes ? { supersedes: supersedes.close } : {}),
    });
  }
  if (openPr && failed.length === 1 && failed[0]?.rule === 'open_pr') {
    const prTo = openPr.marker.changes[0]?.to ?? '(unknown)';
    return finishUnit('comment', {
      pr: openPr.number,
      reasons: [reasonOf(failed[0])],
      comment:
        `Alerts say ${trigger.failing} is failing and ${id} should move to ${to}, but this PR moves it to ${prTo}. ` +
        'No second PR is opened: merge this one, or close it with `/failover cancel` and the next alert decides again.',
    });
  }
  if (supersedes) {
    // The open PR goes onto a failing target and nothing better can replace it: close it, say why.
    return finishUnit('close-pr', {
      pr: supersedes.close.pr,
      reasons: [supersedes.close.comment, ...failed.map(reasonOf)],
      comment: `${supersedes.close.comment} ${refusal(unit, trigger.failing, failed, choice.standings)}`,
    });
  }
  return finishUnit('none', {
    reasons: [...failed.map(reasonOf), refusal(unit, trigger.failing, failed, choice.standings)],
  });
}

interface Trigger {
  member: string;
  failing: string;
  signals: Signal[];
  how: string;
}

/**
 * The failing target: the first (member order, then config order) that carries traffic now and has an
 * active alert (a silenced or inhibited one marks a target failing but triggers nothing). An alert for
 * a passive target is no reason to move. An unreadable current value cannot rule a target out; the
 * safety rule blocks that case with the reason.
 */
function findTrigger(unit: Unit, failing: FailingTargets): Trigger | undefined {
  for (const m of unit.members) {
    const svc = unit.svcs.get(m) as ServiceConfig;
    const cur = readCurrent(svc, unit.input.repo);
    for (const t of svc.targets) {
      if (cur.ok && !cur.active.includes(t)) continue;
      const mine = failing.routed.filter(
        (x) => x.r.service === m && x.target === t && (x.r.signal as FiringAlert).state !== 'suppressed',
      );
      if (mine.length === 0) continue;
      const all = failing.routed.filter(
        (x) => x.target === t && (x.r.signal as FiringAlert).state !== 'suppressed',
      );
      const signals = [...new Map(all.map((x) => [x.r.signal.fingerprint, x.r.signal])).values()];
      const how = mine.some((x) => x.r.labelled !== undefined)
        ? 'from the target label'
        : 'the target active when the alert started';
      return { member: m, failing: t, signals, how };
    }
  }
  return undefined;
}

/** Step "plan": where traffic goes, with every target's standing, and the member edits. */
function planMove(unit: Unit, failing: FailingTargets, failingTarget: string) {
  const { config, repo } = unit.input;
  const { lead, members } = unit;
  const exclude = [failingTarget];
  const choice = chooseHealthy(config, members, lead.targets, exclude, failing, unit.input.world);
  // Weighted: one decision drains every failing target that has weight, onto every healthy one.
  const failingNow = choice.standings
    .filter((s) => s.kind === 'failing' || s.target === failingTarget)
    .map((s) => s.target);
  const healthy = choice.standings
    .filter((s) => s.kind === 'healthy' && !failingNow.includes(s.target))
    .map((s) => s.target);
  const unsure = choice.standings
    .filter((s) => s.kind === 'unknown' && !failingNow.includes(s.target))
    .map((s) => s.target);
  const weightedReceivers = healthy.length > 0 ? healthy : unsure;
  if (lead.mode === 'weighted') {
    choice.unsure = healthy.length === 0 && unsure.length > 0;
    if (weightedReceivers.length > 0) delete choice.refusal;
    else choice.refusal = `no healthy target would keep weight: ${choice.standings.map(describe).join(', ')}`;
  }
  const chosen = choice.chosen ?? failingTarget;
  const plans = planMembers(
    members,
    config.services,
    repo,
    (_m, svc): Move =>
      svc.mode === 'weighted'
        ? { type: 'drain', failing: failingNow, receivers: weightedReceivers }
        : { type: 'set-active', to: chosen },
  );
  const leadPlan = plans[0] as MemberPlan;
  const to = lead.mode === 'weighted' ? leadPlan.to : chosen;
  // Without a destination the trace still shows why each candidate was no good.
  const candidates = lead.targets.filter((t) => !exclude.includes(t));
  const receivers = lead.mode === 'weighted' ? weightedReceivers : choice.chosen ? [chosen] : candidates;
  return { failingNow, choice, receivers, to, plans };
}

function describe(s: Standing): string {
  return s.kind === 'healthy' ? `${s.target} healthy` : s.why;
}

/** Step "gates": every member's rules apply; the strictest severity and stabilize, each quorum and budget. */
function gateRules(unit: Unit, signals: Signal[]): RuleResult[] {
  const { input, members, svcs } = unit;
  const { repo, now } = input;
  const all = members.map((m) => svcs.get(m) as ServiceConfig);
  const minSeverity = all
    .map((s) => s.automation.min_severity)
    .reduce((a, b) => (SEVERITY_RANK[b] > SEVERITY_RANK[a] ? b : a));
  const stabilize = all
    .map((s) => s.automation.stabilize)
    .reduce((a, b) => (parseDuration(b) > parseDuration(a) ? b : a));
  const skewed = signals.filter((s) => isSkewed(s, now));
  const timely = signals.filter((s) => !isSkewed(s, now));
  // Severity, then stabilize among the qualifying signals, then quorum among the stable ones: a
  // vantage point counts only when its own alert is severe enough and has lasted long enough.
  const qualified = timely.filter((s) => meetsSeverity(s, minSeverity));
  const stabilizeMs = parseDuration(stabilize);
  const stable = qualified.filter((s) => isStable(s, stabilizeMs, ms(now)));
  const pool = stable.length > 0 ? stable : qualified.length > 0 ? qualified : timely;
  const group = members.length > 1;
  const gates: RuleResult[] = [
    clockRule(skewed, timely, now),
    severityRule(timely, minSeverity),
    stabilizeRule(qualified.length > 0 ? qualified : timely, stabilize, now),
  ];
  for (const m of members) {
    const q = quorumRule(pool, (svcs.get(m) as ServiceConfig).automation.quorum);
    gates.push(group ? { ...q, seen: `${m}: ${q.seen}` } : q);
    if (!group) break;
  }
  gates.push(freezeRule(repo.frozen, false), automationRule(strictestOnAlert(unit)));
  for (const m of members) {
    const svc = svcs.get(m) as ServiceConfig;
    const budget = budgetHistory(historyFor(repo, [m]), svc.automation.count_manual);
    const rules = [
      cooldownRule(budget, svc.automation.cooldown, now, false),
      maxPerDayRule(budget, svc.automation.max_per_day, now, false),
    ];
    gates.push(...(group ? rules.map((r) => ({ ...r, seen: `${m}: ${r.seen}` })) : rules));
  }
  return gates;
}

function clockRule(skewed: Signal[], timely: Signal[], now: string): RuleResult {
  if (skewed.length === 0) return rule('clock', true, 'no alert starts in the future');
  const first = skewed[0] as Signal;
  const what = `${skewed.length} alert${skewed.length === 1 ? '' : 's'} start${skewed.length === 1 ? 's' : ''} in the future (startsAt ${first.startsAt}, now ${now})`;
  if (timely.length > 0) return rule('clock', true, `clock skew: ${what}; ignored`);
  return rule('clock', false, `clock skew: ${what}`);
}

function strictestOnAlert(unit: Unit): ServiceConfig['automation']['on_alert'] {
  return unit.members
    .map((m) => (unit.svcs.get(m) as ServiceConfig).automation.on_alert)
    .reduce((a, b) => (ON_ALERT_STRICTNESS[b] < ON_ALERT_STRICTNESS[a] ? b : a));
}

function notCheckedWhy(world: WorldView | undefined): string | undefined {
  const alerts = world?.alerts ?? { status: 'not-configured' as const };
  if (alerts.status === 'read') return undefined;
  return alerts.status === 'unreadable' ? alerts.why : 'none configured';
}

type OpenPr = NonNullable<ReturnType<typeof openPrFor>>;

/**
 * Re-judges an open PR with the world as it is now. A drill ends when a real incident arrives; an
 * automatic PR whose target is failing is closed (and replaced when a healthy target exists) before
 * anyone merges it onto a dead target; a person's PR gets a comment saying so.
 */
function judgeOpenPr(
  unit: Unit,
  pr: OpenPr,
  standings: Standing[],
  failingTarget: string,
  failingNow: string[],
): { close: { pr: number; comment: string } } | { decision: Decision } | undefined {
  const prTo = pr.marker.changes[0]?.to;
  const standing = standings.find((s) => s.target === prTo);
  if (pr.marker.kind === 'drill') {
    const comment = `A real incident on ${unit.id} ends this drill: ${failingTarget} is failing. Closed without merging; the incident decides from here.`;
    return { close: { pr: pr.number, comment } };
  }
  const dead = prTo !== undefined && (failingNow.includes(prTo) || standing?.kind === 'failing');
  if (!dead) return undefined;
  const why = standing?.kind === 'failing' ? standing.why : `${prTo} is failing`;
  if (pr.marker.kind === 'auto' && !pr.humanEdited) {
    return {
      close: {
        pr: pr.number,
        comment: `PR #${pr.number} would move ${unit.id} onto a failing target: ${why}. Closed before anyone merges it.`,
      },
    };
  }
  const comment =
    `⚠️ The target of this PR is failing now: ${why}. Merging it would move ${unit.id} onto a failing target. ` +
    `Close it with \`/failover cancel\`, or move elsewhere with \`/failover ${unit.id} <target>\`.`;
  return {
    decision: finish(unit.id, unit.members, 'comment', [], [], [], {
      pr: pr.number,
      from: failingTarget,
      ...(prTo !== undefined ? { to: prTo } : {}),
      reasons: [
        `PR #${pr.number} moves ${unit.id} to ${prTo}, which is failing now (${why}); said so on the PR`,
      ],
      comment,
    }),
  };
}

/** One sentence: what was refused, why, and the exact command a person can give next. */
function refusal(unit: Unit, failingTarget: string, failed: RuleResult[], standings: Standing[]): string {
  const why = failed[0] ? reasonOf(failed[0]) : 'a rule failed';
  const healthy = standings.find((s) => s.kind === 'healthy' && s.target !== failingTarget);
  const other = healthy?.target ?? unit.lead.targets.find((t) => t !== failingTarget) ?? '<target>';
  const force = healthy
    ? ''
    : ` --force ${standings.some((s) => s.kind === 'failing' && /alert/.test(s.why) && s.target === other) ? 'target_alerting' : 'target_health'} --reason "..."`;
  return `Refused: automatic failover of ${unit.id} off ${failingTarget}, because ${why}. Next: \`/failover ${unit.id} ${other}${force}\`.`;
}

function noTrigger(unit: Unit, failing: FailingTargets, firingHere: Routed[], trace: RuleResult[]): Decision {
  const { members, svcs, id, input } = unit;
  trace.push(rule('target', false, describeNoTrigger(unit, failing, firingHere)));
  // An unreadable or unknown current value is a safety stop of its own: say so, not only "no target".
  for (const m of members) {
    const cur = readCurrent(svcs.get(m) as ServiceConfig, input.repo);
    if (!cur.ok) trace.push(rule('safety', false, `${m}: ${cur.why}`));
  }
  const pr = openPrFor(input.repo, id, members);
  const signals = firingHere.map((r) => r.signal);
  if (pr) {
    // The event concerns a passive target: if it is where an open PR goes, that PR is re-judged now.
    const standings = pr.marker.changes.map((c) => c.to);
    const prTo = standings[0];
    const alerts = prTo ? (failing.byTarget.get(prTo) ?? []) : [];
    if (prTo && alerts.length > 0) {
      const why = `${prTo} down (${alerts.length} alert${alerts.length === 1 ? '' : 's'})`;
      const judged = judgeOpenPr(
        unit,
        pr,
        [{ kind: 'failing', target: prTo, why }],
        pr.marker.changes[0]?.from ?? '?',
        [prTo],
      );
      if (judged && 'decision' in judged) return { ...judged.decision, trace, signals };
      if (judged && pr.marker.kind !== 'drill') {
        return finish(id, members, 'close-pr', trace, [], signals, {
          pr: pr.number,
          reasons: [judged.close.comment],
          comment: `${judged.close.comment} Next: \`/failover status\`, then \`/failover ${id} <target>\` to a healthy target.`,
        });
      }
    }
  }
  const blocking = trace.filter((r) => !r.ok && (r.rule === 'target' || r.rule === 'safety'));
  return finish(id, members, 'none', trace, [], signals, { reasons: blocking.map(reasonOf) });
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

function describeNoTrigger(unit: Unit, failing: FailingTargets, firingHere: Routed[]): string {
  const { members, svcs, input } = unit;
  const missing = firingHere.filter((r) => r.labelMissing);
  if (missing.length === firingHere.length) {
    const first = firingHere[0];
    const labelName = svcs.get(first?.service ?? '')?.alerts[first?.route ?? 0]?.target_label;
    return `the alerts carry no ${labelName ?? 'target'} label, so the failing target is unknown`;
  }
  const fps = new Set(firingHere.map((r) => r.signal.fingerprint));
  const mine = failing.routed.filter((x) => fps.has(x.r.signal.fingerprint));
  const named = [...new Set(mine.map((x) => x.target).filter((t): t is string => t !== undefined))];
  const allTargets = new Set(members.flatMap((m) => (svcs.get(m) as ServiceConfig).targets));
  const unknown = named.filter((t) => !allTargets.has(t));
  const active = members
    .map((m) => {
      const cur = readCurrent(svcs.get(m) as ServiceConfig, input.repo);
      return cur.ok ? cur.active.join('+') : '(unreadable)';
    })
    .join(', ');
  if (named.length === 0) return `cannot tell which target is failing (active: ${active})`;
  if (unknown.length === named.length) return `alert names ${unknown.join(', ')}, which is not a target`;
  const suppressedOnly = mine.every((x) => (x.r.signal as FiringAlert).state === 'suppressed');
  if (suppressedOnly)
    return `alert for ${named.join(', ')} is silenced or inhibited: it marks the target failing but triggers nothing`;
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
