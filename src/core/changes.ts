// Which services a commit range flips: the Action diffs every configured state value between two
// snapshots of the repo. Pure: the caller reads the files.
import { readStateValue } from './state/index.js';
import type { FailoverConfig, ServiceConfig } from './types.js';

export interface ServiceChange {
  service: string;
  /** The active target before/after; weighted mode names the target with the largest weight. */
  from: string;
  to: string;
  before: unknown;
  after: unknown;
}

/** Reads a file as it is in one snapshot; undefined when the file does not exist there. */
export type SnapshotReader = (path: string) => string | undefined;

export function changedServices(
  config: FailoverConfig,
  before: SnapshotReader,
  after: SnapshotReader,
  only: string[] = [],
): ServiceChange[] {
  const changes: ServiceChange[] = [];
  for (const [name, svc] of Object.entries(config.services)) {
    if (only.length > 0 && !only.includes(name)) continue;
    const oldValue = previousValue(before, svc);
    const newValue = valueIn(after, svc);
    if (newValue === undefined) continue;
    if (JSON.stringify(oldValue) === JSON.stringify(newValue)) continue;
    changes.push({
      service: name,
      from: oldValue === undefined ? '(none)' : activeTarget(svc, oldValue),
      to: activeTarget(svc, newValue),
      before: oldValue,
      after: newValue,
    });
  }
  return changes;
}

/**
 * The value before the change. Unreadable there (the key did not exist yet, or the old file was broken)
 * counts as no value: the new state is what gets applied and verified, and it must not be blocked by
 * history. The new state, by contrast, must read cleanly (valueIn throws).
 */
function previousValue(read: SnapshotReader, svc: ServiceConfig): unknown {
  try {
    return valueIn(read, svc);
  } catch {
    return undefined;
  }
}

function valueIn(read: SnapshotReader, svc: ServiceConfig): unknown {
  const text = read(svc.state.file);
  return text === undefined ? undefined : readStateValue(svc.state.file, text, svc.state.key);
}

/**
 * The target that carries the service: the value itself in active-passive mode, the heaviest target in
 * weighted mode (ties go to the first in config order, the primary).
 */
export function activeTarget(svc: ServiceConfig, value: unknown): string {
  if (svc.mode === 'active-passive') return String(value);
  if (!value || typeof value !== 'object') return String(value);
  const weights = value as Record<string, unknown>;
  let best = '';
  let bestWeight = -1;
  for (const target of svc.targets) {
    const w = Number(weights[target] ?? 0);
    if (w > bestWeight) {
      best = target;
      bestWeight = w;
    }
  }
  return best;
}

/** Targets that receive traffic in a state value: the one active target, or every weight above zero. */
export function servingTargets(svc: ServiceConfig, value: unknown): string[] {
  if (svc.mode === 'active-passive') return [String(value)];
  if (!value || typeof value !== 'object') return [];
  const weights = value as Record<string, unknown>;
  return svc.targets.filter((t) => Number(weights[t] ?? 0) > 0);
}
