// Resolved alerts: cancel a failover that has not merged yet (cancel_on_resolve), or tell the humans the
// old primary is back. Never an automatic failback (and for databases, say why).
import type { Decision, FailoverConfig, RepoView, RuleResult, ServiceConfig } from '../types.js';
import type { WorldView } from '../world.js';
import { historyFor, openPrFor, rule } from './context.js';
import { type Routed, routeRule } from './route.js';
import { failingTargets, type SeenSignals } from './world-view.js';

export interface ResolvedInput {
  config: FailoverConfig;
  repo: RepoView;
  id: string;
  members: string[];
  routed: Routed[];
  /** Everything still firing (this event's and the source of record's), and it routed once. */
  seen: Pick<SeenSignals, 'firing' | 'firingRouted'>;
  world?: WorldView;
}

export function decideResolved({ config, repo, id, members, routed, seen, world }: ResolvedInput): Decision {
  const signals = routed.map((r) => r.signal);
  const trace: RuleResult[] = [routeRule(config, routed, routed.length)];
  const svcs = members.map((m) => config.services[m] as ServiceConfig);
  const base = { service: id, services: members, kind: 'auto' as const, edits: [], signals, trace };
  const names = new Set(routed.map((r) => r.labelled).filter((t): t is string => t !== undefined));
  // A resolved alert without the target label speaks about whatever was active when it fired.
  const unlabelled = routed.some((r) => r.labelled === undefined);
  const concerns = (target: string) => unlabelled || names.has(target);

  const pr = openPrFor(repo, id, members);
  if (pr) {
    const fingerprints = new Set(pr.marker.fingerprints);
    const matchesPr =
      routed.some((r) => fingerprints.has(r.signal.fingerprint)) ||
      pr.marker.changes.some((c) => concerns(c.from));
    const cancel = svcs.every((s) => s.automation.cancel_on_resolve);
    const still = stillFiring(config, repo, members, pr.marker, seen, world);
    if (pr.marker.kind === 'auto' && matchesPr && cancel && still) {
      trace.push(rule('open_pr', false, still));
      return { ...base, action: 'none', pr: pr.number, reasons: [`PR #${pr.number} stays open: ${still}`] };
    }
    if (pr.marker.kind === 'auto' && matchesPr && cancel) {
      trace.push(
        rule('open_pr', true, `PR #${pr.number} (auto, unmerged): its alerts resolved; cancel_on_resolve`),
      );
      const reason = `alerts resolved before PR #${pr.number} merged (cancel_on_resolve): closing it`;
      return {
        ...base,
        action: 'close-pr',
        pr: pr.number,
        reasons: [reason],
        comment: `The alerts that opened this failover resolved before it merged, so it is closed (cancel_on_resolve). ${id} stays where it is.`,
      };
    }
    const why =
      pr.marker.kind !== 'auto'
        ? `PR #${pr.number} was opened by a ${pr.marker.kind} command; only people close it`
        : !cancel
          ? `PR #${pr.number} stays open: cancel_on_resolve is off`
          : `PR #${pr.number} is about other alerts`;
    trace.push(rule('open_pr', false, why));
    return { ...base, action: 'none', pr: pr.number, reasons: [why] };
  }

  const last = historyFor(repo, members)[0];
  if (last && last.kind === 'auto' && concerns(last.from)) {
    const database = svcs.some((s) => s.kind === 'database');
    const note = database
      ? ' It is a database: it is never failed back automatically; check replication and data first.'
      : '';
    const comment =
      `${last.from} (the old primary of ${id}) has recovered: its alerts resolved. ` +
      `No automatic failback.${note} To move back, comment \`/failback ${id}\`.`;
    trace.push(rule('open_pr', true, 'no open failover PR'));
    return {
      ...base,
      action: 'comment',
      pr: last.pr,
      from: last.to,
      to: last.from,
      reasons: [
        `${last.from} recovered after the automatic failover of PR #${last.pr}; failback is manual (/failback ${id})`,
      ],
      comment,
    };
  }
  trace.push(rule('open_pr', true, 'no open failover PR'));
  return { ...base, action: 'none', reasons: ['alerts resolved; nothing to do'] };
}

/**
 * cancel_on_resolve closes a PR only when every alert that justified it resolved (by fingerprint, across
 * sources) and nothing else fires for the target it leaves. Undefined when that holds; else why not.
 */
function stillFiring(
  config: FailoverConfig,
  repo: RepoView,
  members: string[],
  marker: { fingerprints: string[]; changes: { from: string }[] },
  { firing, firingRouted }: Pick<SeenSignals, 'firing' | 'firingRouted'>,
  world: WorldView | undefined,
): string | undefined {
  if (world?.alerts.status === 'unreadable')
    return `cannot tell whether its alerts still fire (source of record not checked: ${world.alerts.why})`;
  const justified = new Set(marker.fingerprints);
  const own = firing.filter((a) => justified.has(a.fingerprint));
  if (own.length > 0) return `${own.length} of the alerts that opened it still fire`;
  const from = marker.changes[0]?.from;
  const others = from ? (failingTargets(config, repo, members, firingRouted).byTarget.get(from) ?? []) : [];
  if (others.length > 0)
    return `${others.length} other alert${others.length === 1 ? '' : 's'} still fire${others.length === 1 ? 's' : ''} for ${from}`;
  return undefined;
}
