// Weighted mode arithmetic. Weights are whole numbers; every move preserves the total exactly so the
// invariant "weights sum as configured" holds after any number of failovers and failbacks.
import type { ServiceConfig } from '../types.js';

export type Weights = Record<string, number>;

/** The weights failback restores: `service.weights`, or an even split of 100 over the targets. */
export function baselineWeights(svc: Pick<ServiceConfig, 'targets' | 'weights'>): Weights {
  if (svc.weights) {
    const out: Weights = {};
    for (const t of svc.targets) out[t] = svc.weights[t] ?? 0;
    return out;
  }
  const even = distribute(
    100,
    svc.targets.map((t) => ({ key: t, weight: 1 })),
  );
  return even;
}

/** The total weights must keep (the baseline's sum). */
export function configuredSum(svc: Pick<ServiceConfig, 'targets' | 'weights'>): number {
  return sum(baselineWeights(svc));
}

export function sum(w: Weights): number {
  let total = 0;
  for (const v of Object.values(w)) total += v;
  return total;
}

/**
 * Splits `amount` over the keys in proportion to their weights (largest remainder method). Ties in the
 * remainder go to the earlier key so the result is deterministic. When every weight is zero the split is
 * even. The parts always add up to `amount` exactly.
 */
export function distribute(amount: number, shares: { key: string; weight: number }[]): Weights {
  const out: Weights = {};
  if (shares.length === 0) return out;
  const total = shares.reduce((a, s) => a + s.weight, 0);
  const basis = total > 0 ? shares : shares.map((s) => ({ key: s.key, weight: 1 }));
  const basisTotal = total > 0 ? total : shares.length;
  let given = 0;
  const remainders: { key: string; rest: number; index: number }[] = [];
  basis.forEach((s, index) => {
    const exact = (amount * s.weight) / basisTotal;
    const whole = Math.floor(exact);
    out[s.key] = whole;
    given += whole;
    remainders.push({ key: s.key, rest: exact - whole, index });
  });
  remainders.sort((a, b) => b.rest - a.rest || a.index - b.index);
  let left = Math.round(amount - given);
  for (let i = 0; left > 0; i = (i + 1) % remainders.length, left--) {
    const r = remainders[i] as { key: string };
    out[r.key] = (out[r.key] ?? 0) + 1;
  }
  return out;
}

/**
 * Drains `failing`: it goes to 0 and its weight is shared among `receivers` in proportion to their
 * current weights (or to the baseline when they all carry nothing now, or evenly as the last resort).
 * Keys keep the current object's order; receivers missing from it are appended.
 */
export function drain(current: Weights, failing: string, receivers: string[], baseline: Weights): Weights {
  const moved = current[failing] ?? 0;
  const byCurrent = receivers.map((key) => ({ key, weight: current[key] ?? 0 }));
  const byBaseline = receivers.map((key) => ({ key, weight: baseline[key] ?? 0 }));
  const basis = byCurrent.some((s) => s.weight > 0) ? byCurrent : byBaseline;
  const extra = distribute(moved, basis);
  const next: Weights = {};
  for (const [k, v] of Object.entries(current)) next[k] = k === failing ? 0 : v + (extra[k] ?? 0);
  for (const k of receivers) if (!(k in next)) next[k] = extra[k] ?? 0;
  if (!(failing in next)) next[failing] = 0;
  return next;
}

/** All traffic to one target (manual `/failover <svc> <target>` in weighted mode). */
export function allTo(current: Weights, target: string, total: number): Weights {
  const next: Weights = {};
  for (const k of Object.keys(current)) next[k] = k === target ? total : 0;
  if (!(target in next)) next[target] = total;
  return next;
}

/** Baseline in the current object's key order (so the diff only shows numbers changing). */
export function restore(current: Weights, baseline: Weights): Weights {
  const next: Weights = {};
  for (const k of Object.keys(current)) next[k] = baseline[k] ?? 0;
  for (const [k, v] of Object.entries(baseline)) if (!(k in next)) next[k] = v;
  return next;
}

/** Why a weights map breaks the weighted-mode invariants; empty when it is fine. */
export function weightProblems(svc: Pick<ServiceConfig, 'targets' | 'weights'>, value: unknown): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return ['weights are not a map'];
  const problems: string[] = [];
  const entries = Object.entries(value as Record<string, unknown>);
  for (const [k, v] of entries) {
    if (!svc.targets.includes(k)) problems.push(`unknown target "${k}"`);
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
      problems.push(`weight of ${k} is not a whole number >= 0`);
  }
  const numbers = entries.map(([, v]) => (typeof v === 'number' ? v : 0));
  if (!numbers.some((n) => n > 0)) problems.push('no target above 0');
  const total = numbers.reduce((a, b) => a + b, 0);
  const want = configuredSum(svc);
  if (total !== want) problems.push(`weights sum to ${total}, configured ${want}`);
  return problems;
}

/** The targets that lose / gain weight, for titles and markers (`us-east-1` → `us-west-2, eu-west-1`). */
export function movement(before: Weights, after: Weights, order: string[]): { from: string; to: string } {
  const lost = order.filter((t) => (after[t] ?? 0) < (before[t] ?? 0));
  const gained = order.filter((t) => (after[t] ?? 0) > (before[t] ?? 0));
  return { from: lost.join(', ') || '(none)', to: gained.join(', ') || '(none)' };
}
