// The world-view steps every path shares: which signals a decision sees (this event's plus the source
// of record's), which targets are failing (ONE function for alerts, commands and follow-ups), and how
// each candidate target stands (alerts, live health). Pure: the host read the world, this judges it.
import type { FailoverConfig, RepoView, RuleResult, ServiceConfig, Signal } from '../types.js';
import { type FiringAlert, healthOf, type WorldView } from '../world.js';
import { historyFor, ms, readCurrent, rule } from './context.js';
import { type Routed, routeSignals } from './route.js';

/** A startsAt this far ahead of our clock is clock skew, not an alert from the future. */
export const CLOCK_SKEW_TOLERANCE_MS = 30_000;

export interface SeenSignals {
  /** Firing now: this event's (active) and the source of record's, one per fingerprint. */
  firing: FiringAlert[];
  /** This event's resolved signals, and its firing ones whose endsAt is already past. */
  resolved: Signal[];
  /** `firing` routed to services once, so every unit of a decision reads it without routing again. */
  firingRouted: Map<string, Routed[]>;
}

/** Step "route signals": what the decision sees. The event's own word on a fingerprint wins (it is newer). */
export function seenSignals(
  config: FailoverConfig,
  event: Signal[],
  world: WorldView | undefined,
  now: string,
): SeenSignals {
  const nowMs = ms(now);
  const ended = (s: Signal) => s.endsAt !== undefined && ms(s.endsAt) <= nowMs;
  const firing: FiringAlert[] = [];
  const resolved: Signal[] = [];
  const own = new Set<string>();
  for (const s of event) {
    own.add(s.fingerprint);
    if (s.status === 'resolved' || ended(s)) resolved.push({ ...s, status: 'resolved' });
    else firing.push({ ...s, state: 'active' });
  }
  if (world?.alerts.status === 'read') {
    for (const a of world.alerts.value) {
      if (own.has(a.fingerprint) || ended(a)) continue;
      own.add(a.fingerprint);
      firing.push(a);
    }
  }
  return { firing, resolved, firingRouted: routeSignals(config, firing) };
}

export function isSkewed(s: Signal, now: string): boolean {
  return ms(s.startsAt) - ms(now) > CLOCK_SKEW_TOLERANCE_MS;
}

/**
 * The target that was active when an alert started: routes without target_label blame the target
 * carrying traffic at startsAt (from the failover history), not whatever is active now.
 */
export function activeAt(
  service: string,
  svc: ServiceConfig,
  repo: RepoView,
  startsAt: string,
): string | undefined {
  const cur = readCurrent(svc, repo);
  if (!cur.ok || cur.active.length !== 1) return undefined;
  const at = ms(startsAt);
  // History is newest first: the oldest move after the alert started says where traffic was then.
  const later = historyFor(repo, [service]).filter((h) => ms(h.mergedAt) > at);
  return later.at(-1)?.from ?? cur.active[0];
}

export interface FailingTargets {
  /** Alerts blaming each target, across every member (a target failing for one member fails the group). */
  byTarget: Map<string, FiringAlert[]>;
  /** Every routed firing signal of the members, with the target it blames (undefined: cannot tell). */
  routed: { r: Routed; target: string | undefined }[];
}

/** Step "failing targets": the ONE place alerts become failing targets, for every path. */
export function failingTargets(
  config: FailoverConfig,
  repo: RepoView,
  members: string[],
  firingRouted: Map<string, Routed[]>,
): FailingTargets {
  const byTarget = new Map<string, FiringAlert[]>();
  const counted = new Set<string>();
  const routed: FailingTargets['routed'] = [];
  for (const m of members) {
    const svc = config.services[m] as ServiceConfig;
    for (const r of firingRouted.get(m) ?? []) {
      const target = r.labelled ?? (r.labelMissing ? undefined : activeAt(m, svc, repo, r.signal.startsAt));
      routed.push({ r, target });
      if (target === undefined) continue;
      // One alert counts once per target, even when several members' routes match it.
      const key = JSON.stringify([target, r.signal.fingerprint]);
      if (counted.has(key)) continue;
      counted.add(key);
      byTarget.set(target, [...(byTarget.get(target) ?? []), r.signal as FiringAlert]);
    }
  }
  return { byTarget, routed };
}

/** How one candidate target stands for a decision about these members. */
export type Standing =
  | { kind: 'healthy'; target: string; note: string }
  | { kind: 'failing'; target: string; why: string }
  | { kind: 'unknown'; target: string; why: string };

export function standingOf(
  config: FailoverConfig,
  members: string[],
  target: string,
  failing: FailingTargets,
  world: WorldView | undefined,
): Standing {
  const alerts = failing.byTarget.get(target) ?? [];
  const down: string[] = [];
  if (alerts.length > 0) down.push(alertCount(alerts));
  const unsure: string[] = [];
  const notes: string[] = [];
  const group = members.length > 1;
  for (const m of members) {
    if (!(config.services[m] as ServiceConfig).targets.includes(target)) continue;
    const read = healthOf(world, m, target);
    const forWhom = group ? ` for ${m}` : '';
    if (!read || read.status === 'not-configured') notes.push(`not checked: none configured${forWhom}`);
    else if (read.status === 'unreadable') unsure.push(`health${forWhom} not checked: ${read.why}`);
    else if (read.value.health === 'down') down.push(`health${forWhom}: ${read.value.detail || 'down'}`);
    else if (read.value.health === 'inconclusive')
      unsure.push(`health${forWhom} inconclusive${read.value.detail ? `: ${read.value.detail}` : ''}`);
    else notes.push(`up${forWhom}`);
  }
  if (down.length > 0) return { kind: 'failing', target, why: `${target} down (${down.join('; ')})` };
  if (unsure.length > 0) return { kind: 'unknown', target, why: `${target} unknown (${unsure.join('; ')})` };
  return { kind: 'healthy', target, note: `${target} health ${[...new Set(notes)].join(', ')}` };
}

function alertCount(alerts: FiringAlert[]): string {
  const suppressed = alerts.filter((a) => a.state === 'suppressed').length;
  const n = alerts.length;
  return `${n} alert${n === 1 ? '' : 's'}${suppressed > 0 ? `, ${suppressed} silenced or inhibited` : ''}`;
}

export interface TargetChoice {
  /** The first healthy target in config order; else the first unknown one (then `unsure`). */
  chosen?: string;
  unsure: boolean;
  standings: Standing[];
  /** When no target can take traffic: one sentence naming each target and why. */
  refusal?: string;
}

/** Step "candidate health": the first healthy target in config order, never a failing one. */
export function chooseHealthy(
  config: FailoverConfig,
  members: string[],
  targets: string[],
  exclude: string[],
  failing: FailingTargets,
  world: WorldView | undefined,
): TargetChoice {
  const standings = targets.map((t) => standingOf(config, members, t, failing, world));
  const candidates = standings.filter((s) => !exclude.includes(s.target));
  const healthy = candidates.find((s) => s.kind === 'healthy');
  if (healthy) return { chosen: healthy.target, unsure: false, standings };
  const unknown = candidates.find((s) => s.kind === 'unknown');
  if (unknown) return { chosen: unknown.target, unsure: true, standings };
  return { unsure: false, standings, refusal: `double failure: ${describeStandings(standings)}` };
}

export function describeStandings(standings: Standing[]): string {
  return standings.map((s) => (s.kind === 'healthy' ? `${s.target} healthy` : s.why)).join(', ');
}

/** The trace line for the source of record: read, not configured, or not readable (never "pass" then). */
export function alertSourceRule(
  world: WorldView | undefined,
  seen: SeenSignals,
  event: Signal[],
): RuleResult {
  const alerts = world?.alerts ?? { status: 'not-configured' as const };
  if (alerts.status === 'not-configured')
    return {
      ...rule('alert_source', true, 'not checked: none configured (this event’s alerts only)'),
      checked: false,
    };
  if (alerts.status === 'unreadable')
    return { ...rule('alert_source', true, `not checked: ${alerts.why}`), checked: false };
  const own = new Set(event.map((s) => s.fingerprint));
  const more = seen.firing.filter((a) => !own.has(a.fingerprint));
  const suppressed = more.filter((a) => a.state === 'suppressed').length;
  return rule(
    'alert_source',
    true,
    `${alerts.value.length} firing in the source of record; ${more.length} beyond this event${suppressed > 0 ? ` (${suppressed} silenced or inhibited)` : ''}`,
  );
}

/** What could not be seen (the reason an automatic decision stops at a PR for a human). */
export function unseenParts(
  world: WorldView | undefined,
  choice: { unsure: boolean; standings: Standing[] },
  chosen: string[],
): string[] {
  const parts: string[] = [];
  if (world?.alerts.status === 'unreadable') parts.push(`firing alerts (${world.alerts.why})`);
  if (choice.unsure) {
    for (const s of choice.standings)
      if (s.kind === 'unknown' && chosen.includes(s.target)) parts.push(s.why);
  }
  return parts;
}

/** The live-health trace line for the destination(s). */
export function targetHealthRule(standings: Standing[], destinations: string[]): RuleResult {
  const mine = standings.filter((s) => destinations.includes(s.target));
  const failing = mine.filter((s) => s.kind === 'failing');
  if (failing.length > 0) return rule('target_health', false, failing.map((s) => s.why).join('; '));
  const unknown = mine.filter((s) => s.kind === 'unknown');
  if (unknown.length > 0)
    return {
      ...rule('target_health', true, `not checked: ${unknown.map((s) => s.why).join('; ')}`),
      checked: false,
    };
  const notes = mine.map((s) => (s.kind === 'healthy' ? s.note : ''));
  const unchecked = notes.every((n) => /not checked/.test(n)) && notes.length > 0;
  const r = rule('target_health', true, notes.join('; ') || 'no destination');
  return unchecked ? { ...r, checked: false } : r;
}

const NO_ALERTS: FailingTargets = { byTarget: new Map(), routed: [] };

/** Standings from live health alone (the target_health rule; alerts have their own rule). */
export function healthStandings(
  config: FailoverConfig,
  members: string[],
  targets: string[],
  world: WorldView | undefined,
): Standing[] {
  return targets.map((t) => standingOf(config, members, t, NO_ALERTS, world));
}
