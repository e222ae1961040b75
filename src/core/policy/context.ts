// Small shared helpers of the policy: reading a service's current state, finding its group, open PR
// and history. Everything here is pure and takes the repo view as it was read at one commit.
import { describeThrown } from '../errors.js';
import { capEcho } from '../render/text.js';
import { readStateValue } from '../state/index.js';
import type {
  FailoverConfig,
  FailoverRecord,
  OpenFailoverPr,
  RepoView,
  RuleResult,
  ServiceConfig,
  Severity,
} from '../types.js';

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2, critical: 3 };

export function severityRank(value: string | undefined): number {
  if (value === undefined) return -1;
  return (SEVERITY_RANK as Record<string, number>)[value.toLowerCase()] ?? -1;
}

/** What a service's desired-state file says now. `active` are the targets carrying traffic. */
export type CurrentState =
  | { ok: true; value: unknown; text: string; active: string[] }
  | { ok: false; why: string; text?: string };

export function readCurrent(svc: ServiceConfig, repo: RepoView): CurrentState {
  const text = repo.files[svc.state.file];
  if (text === undefined) return { ok: false, why: `state file ${svc.state.file} does not exist` };
  let value: unknown;
  try {
    value = readStateValue(svc.state.file, text, svc.state.key);
  } catch (err: unknown) {
    return { ok: false, why: describeThrown(err), text };
  }
  if (svc.mode === 'active-passive') {
    if (typeof value !== 'string' || !svc.targets.includes(value)) {
      return {
        ok: false,
        why: `current value ${short(value)} of ${svc.state.key} is not one of the targets (${svc.targets.join(', ')})`,
        text,
      };
    }
    return { ok: true, value, text, active: [value] };
  }
  if (!isWeights(value)) {
    return {
      ok: false,
      why: `current value ${short(value)} of ${svc.state.key} is not a {target: weight} map`,
      text,
    };
  }
  const unknown = Object.keys(value).filter((t) => !svc.targets.includes(t));
  if (unknown.length > 0) {
    return { ok: false, why: `current weights name unknown target(s) ${unknown.join(', ')}`, text };
  }
  const active = svc.targets.filter((t) => (value[t] ?? 0) > 0);
  return { ok: true, value, text, active };
}

export function isWeights(value: unknown): value is Record<string, number> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((w) => typeof w === 'number' && Number.isFinite(w))
  );
}

/** A value in a trace line: short enough to read in a table cell. */
export function short(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function groupOf(
  config: FailoverConfig,
  service: string,
): { name: string; members: string[] } | undefined {
  for (const [name, members] of Object.entries(config.groups)) {
    if (members.includes(service)) return { name, members };
  }
  return undefined;
}

export function branchFor(decisionService: string): string {
  return `failover/${decisionService}`;
}

/** The open failover PR that touches any of these services (the branch is the lock; markers say more). */
export function openPrFor(
  repo: RepoView,
  decisionService: string,
  services: string[],
): OpenFailoverPr | undefined {
  const branch = branchFor(decisionService);
  return repo.openPrs.find(
    (pr) => pr.branch === branch || pr.marker.services.some((s) => services.includes(s)),
  );
}

/** Landed failovers that touched any of these services, newest first (as the view gives them). */
export function historyFor(repo: RepoView, services: string[]): FailoverRecord[] {
  return repo.history.filter((h) => h.services.some((s) => services.includes(s)));
}

/** A rule's line of the trace. `seen` can carry label values: it is capped like all echoed input. */
export function rule(name: RuleResult['rule'], ok: boolean, seen: string): RuleResult {
  return { rule: name, ok, seen: capEcho(seen) };
}

export function ms(iso: string): number {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : Number.NaN;
}
