// Manual commands (chatops or CLI): `/failover`, `/failback`, drills, status, cancel. A person asked, so
// anti-flap rules (cooldown, max_per_day) and the freeze do not stop them; safety still does unless the
// command names the rule with `--force <rule> --reason "..."`, which is traced and written into the PR.
import { renderHelp } from '../chatops/help.js';
import { PERMISSIONS } from '../config/schema.js';
import { renderStatus } from '../render/status.js';
import type {
  Actor,
  ChatCommand,
  Decision,
  FailoverConfig,
  FailoverKind,
  RepoView,
  RuleResult,
  ServiceConfig,
  Signal,
} from '../types.js';
import type { WorldView } from '../world.js';
import { groupOf, historyFor, isWeights, openPrFor, rule } from './context.js';
import { type Move, mergeSafety, planMembers } from './plan.js';
import {
  cooldownRule,
  freezeRule,
  maxPerDayRule,
  openPrRule,
  reasonOf,
  targetAlertingRule,
} from './rules.js';
import { baselineWeights } from './weights.js';
import { failingTargets, healthStandings, seenSignals, targetHealthRule } from './world-view.js';

export interface CommandInput {
  command: ChatCommand;
  actor: Actor;
  config: FailoverConfig;
  repo: RepoView;
  now: string;
  prNumber?: number;
  commentUrl?: string;
  /** Alerts firing now (if the caller knows them): a target that is alerting is not a safe destination. */
  firing?: Signal[];
  /** Firing alerts of the source of record and live target health; absent: none configured. */
  world?: WorldView;
  /** A failback to these values (per service) instead of the baseline: a drill restores what it found. */
  restore?: Record<string, unknown>;
}

/** Repository permission (and team membership when the config names teams). Bots never command. */
export function checkAccess(actor: Actor, config: FailoverConfig): RuleResult {
  const need = config.chatops.min_permission;
  if (actor.isBot)
    return rule('permission', false, `${actor.login} is a bot; bots cannot run failover commands`);
  const has = PERMISSIONS.indexOf(actor.permission);
  if (has < PERMISSIONS.indexOf(need)) {
    return rule('permission', false, `${actor.login} has ${actor.permission} permission (need ${need})`);
  }
  const teams = config.chatops.teams;
  if (teams.length > 0) {
    const member = (actor.teams ?? []).filter((t) => teams.includes(t));
    if (member.length === 0) {
      return rule('permission', false, `${actor.login} is not in any of the teams ${teams.join(', ')}`);
    }
    return rule('permission', true, `${actor.login}: ${actor.permission} permission, team ${member[0]}`);
  }
  return rule('permission', true, `${actor.login}: ${actor.permission} permission (need ${need})`);
}

export function decideCommand(input: CommandInput): Decision {
  const { command, actor, config, repo, now } = input;
  const access = checkAccess(actor, config);
  const named = 'service' in command && command.service ? command.service : '(none)';
  const empty = { services: [] as string[], kind: 'manual' as FailoverKind, edits: [], signals: [] };
  if (!access.ok) {
    return { ...empty, service: named, action: 'none', trace: [access], reasons: [reasonOf(access)] };
  }
  switch (command.verb) {
    case 'help':
      return {
        ...empty,
        service: '(none)',
        action: 'comment',
        trace: [access],
        reasons: ['help'],
        // The same text the bot answers `/failover help` with (and docs/chatops.md shows).
        comment: renderHelp(config),
      };
    case 'status':
      return {
        ...empty,
        service: '(none)',
        action: 'comment',
        trace: [access],
        reasons: ['status'],
        comment: renderStatus(config, repo, now),
      };
    case 'cancel': {
      const pr = repo.openPrs.find((p) => p.number === input.prNumber);
      if (!pr) {
        const why = 'cancel works on a pending failover PR: comment it there';
        return { ...empty, service: named, action: 'none', trace: [access], reasons: [why] };
      }
      return {
        ...empty,
        service: pr.branch.replace(/^failover\//, ''),
        services: pr.marker.services,
        kind: pr.marker.kind,
        action: 'close-pr',
        pr: pr.number,
        trace: [access, rule('open_pr', true, `PR #${pr.number} is a pending failover`)],
        reasons: [`cancelled by ${actor.login}`],
        comment: `Cancelled by @${actor.login}: closing without merging; the state stays as it is.`,
      };
    }
    default:
      return decideMove(input, access);
  }
}

type MoveCommand = Extract<ChatCommand, { verb: 'failover' | 'failback' | 'drill' }>;

function decideMove(input: CommandInput, access: RuleResult): Decision {
  const { config, repo, now, actor } = input;
  const command = input.command as MoveCommand;
  const kind: FailoverKind =
    command.verb === 'failover' ? 'manual' : command.verb === 'failback' ? 'failback' : 'drill';
  const service = resolveService(command, config, repo, input.prNumber);
  const base = { kind, edits: [], signals: [] as Signal[] };
  if (!service.ok) {
    return {
      ...base,
      service: service.named,
      services: [],
      action: 'none',
      trace: [access],
      reasons: [service.why],
    };
  }
  const { id, members } = service;
  const lead = config.services[members[0] as string] as ServiceConfig;
  const target = command.verb === 'failback' ? undefined : command.target;
  const trace: RuleResult[] = [access];
  // Every outcome from here on is about the same service and members and carries the same (growing) trace.
  const decided = (
    action: Decision['action'],
    reasons: string[],
    more: Partial<Pick<Decision, 'from' | 'to' | 'edits' | 'pr' | 'before'>> = {},
  ): Decision => ({
    ...base,
    service: id,
    services: members,
    ...more,
    action,
    trace,
    reasons,
  });
  if (target !== undefined && !lead.targets.includes(target)) {
    const why = `"${target}" is not a target of ${id} (targets: ${lead.targets.join(', ')})`;
    trace.push(rule('target', false, why));
    return decided('none', [reasonOf(trace[1] as RuleResult)]);
  }
  const moveFor = (service: string, svc: ServiceConfig): Move => {
    if (target !== undefined) return { type: 'set-active', to: target };
    const saved = input.restore?.[service];
    return svc.mode === 'weighted' && isWeights(saved)
      ? { type: 'weights', weights: saved }
      : { type: 'baseline' };
  };
  const plans = planMembers(members, config.services, repo, moveFor);
  const leadPlan = plans[0];
  const to = target ?? (lead.mode === 'weighted' ? (leadPlan?.to ?? '') : (lead.targets[0] as string));
  const from = leadPlan?.from ?? '(unknown)';
  if (plans.every((p) => p.noop)) {
    const why = `${to} is already active for ${id}`;
    trace.push(rule('target', true, why));
    return decided('none', [`already active: ${why}`], { from, to });
  }
  trace.push(rule('target', true, `${command.verb} ${id}: ${from} → ${to}`));

  const history = historyFor(repo, members);
  const pr = openPrFor(repo, id, members);
  trace.push(
    kind === 'drill' && repo.frozen
      ? rule('freeze', false, 'frozen: no drill starts while the freeze file exists')
      : freezeRule(repo.frozen, true),
    cooldownRule(history, lead.automation.cooldown, now, true),
    maxPerDayRule(history, lead.automation.max_per_day, now, true),
    kind === 'drill' && pr && pr.marker.kind !== 'drill'
      ? rule(
          'open_pr',
          false,
          `PR #${pr.number} (${pr.marker.kind}) is an open incident failover: no drill while it is open`,
        )
      : openPrRule(pr, to),
  );
  const leadMove = moveFor(members[0] as string, lead);
  const restoring = leadMove.type === 'weights' ? leadMove.weights : baselineWeights(lead);
  const destinations =
    lead.mode === 'weighted'
      ? lead.targets.filter((t) => (target ? t === target : (restoring[t] ?? 0) > 0))
      : [to];
  // The same failing-targets step as the alert path: the caller's alerts plus the source of record's.
  const seen = seenSignals(config, input.firing ?? [], input.world, now);
  const failing = failingTargets(config, repo, members, seen.firingRouted);
  const alerting = new Map([...failing.byTarget].map(([t, a]) => [t, a.length] as const));
  const alerts = input.world?.alerts ?? { status: 'not-configured' as const };
  const notChecked =
    alerts.status === 'read' ? undefined : alerts.status === 'unreadable' ? alerts.why : 'none configured';
  trace.push(
    targetAlertingRule(destinations, alerting, notChecked),
    targetHealthRule(healthStandings(config, members, destinations, input.world), destinations),
  );
  if (members.length > 1) {
    trace.push(
      rule(
        'group',
        true,
        `flip together: ${plans.map((p) => `${p.service}: ${p.from} → ${p.to}`).join('; ')}`,
      ),
    );
  }
  trace.push(mergeSafety(plans));

  const reasons: string[] = [];
  const force = 'force' in command ? command.force : undefined;
  if (force !== undefined) {
    const reason = command.reason?.trim();
    if (!reason) {
      const why = `--force ${force} needs --reason "..." (the reason is written into the PR)`;
      return decided('none', [why], { from, to });
    }
    const target = trace.find((r) => r.rule === force && !r.ok);
    if (target) target.forced = { reason, by: actor.login };
    else reasons.push(`--force ${force}: the rule passed, nothing was overridden`);
  }
  const edits = plans.flatMap((p) => (p.edit && !p.noop ? [p.edit] : []));
  const failed = trace.filter((r) => !r.ok && !r.forced);
  const unbuildable = plans.some((p) => !p.noop && !p.edit);
  if (failed.length > 0 || unbuildable) {
    const why = failed.map(reasonOf);
    if (failed.length === 0)
      why.push('safety: the state file cannot be edited as configured; nothing to ship even when forced');
    return decided('none', [...why, ...reasons], { from, to, edits });
  }
  const who = `@${actor.login}`;
  const forcedNote = trace
    .filter((r) => r.forced)
    .map((r) => ` (forced ${r.rule}: ${r.forced?.reason})`)
    .join('');
  const verb = kind === 'drill' ? 'drill' : kind === 'failback' ? 'failback' : 'failover';
  if (pr?.humanEdited) {
    const why = `PR #${pr.number} already does it and a person pushed to its branch: merge it there`;
    return decided('none', [why], { from, to, edits, pr: pr.number });
  }
  if (pr) {
    return decided(
      'update-pr',
      [`${verb} of ${id} to ${to} by ${who}: PR #${pr.number} already does it${forcedNote}`, ...reasons],
      { from, to, edits, pr: pr.number },
    );
  }
  // A drill remembers where traffic was (the target, or the weights) so its failback can put it back.
  const before =
    kind === 'drill'
      ? Object.fromEntries(plans.flatMap((p) => (p.current.ok ? [[p.service, p.current.value]] : [])))
      : undefined;
  return decided('merge', [`${verb} of ${id}: ${from} → ${to} by ${who}${forcedNote}`, ...reasons], {
    from,
    to,
    edits,
    ...(before ? { before } : {}),
  });
}

type Resolved = { ok: true; id: string; members: string[] } | { ok: false; named: string; why: string };

function resolveService(
  command: MoveCommand,
  config: FailoverConfig,
  repo: RepoView,
  prNumber?: number,
): Resolved {
  let name = command.service;
  if (!name) {
    const onPr = repo.openPrs.find((p) => p.number === prNumber);
    const names = Object.keys(config.services);
    if (onPr && onPr.marker.services.length === 1) name = onPr.marker.services[0];
    else if (names.length === 1) name = names[0];
  }
  if (!name) return { ok: false, named: '(none)', why: 'name the service: /failover <service> <target>' };
  const groupName = name.startsWith('group-') ? name.slice('group-'.length) : name;
  // Own properties only: a name like `constructor` must not find Object.prototype's.
  const asGroup = Object.hasOwn(config.groups, groupName) ? config.groups[groupName] : undefined;
  const isService = Object.hasOwn(config.services, name);
  if (asGroup && !isService) return { ok: true, id: `group-${groupName}`, members: asGroup };
  if (!isService) {
    const known = [...Object.keys(config.services), ...Object.keys(config.groups)].join(', ');
    return { ok: false, named: name, why: `unknown service "${name}" (known: ${known})` };
  }
  const group = groupOf(config, name);
  return group
    ? { ok: true, id: `group-${group.name}`, members: group.members }
    : { ok: true, id: name, members: [name] };
}
