// Prometheus conditions such as `< 5`, `>= 1`, `== 0`, `!= 3` (the same grammar the config schema accepts).
import { UserError } from '../core/errors.js';

export type Operator = '<' | '<=' | '>' | '>=' | '==' | '!=';

export interface Condition {
  op: Operator;
  threshold: number;
  /** Canonical text, e.g. `< 5`. */
  text: string;
}

const CONDITION = /^\s*(<=|>=|==|!=|<|>)\s*(-?\d+(?:\.\d+)?)\s*$/;

export function parseCondition(text: string): Condition {
  const m = CONDITION.exec(text);
  if (!m) throw new UserError(`"${text}" is not a condition; use forms like "< 5", ">= 1", "== 0"`);
  const op = m[1] as Operator;
  const threshold = Number(m[2]);
  return { op, threshold, text: `${op} ${m[2]}` };
}

/** NaN never satisfies a condition; callers treat it as inconclusive before asking. */
export function satisfies(value: number, condition: Condition): boolean {
  const t = condition.threshold;
  switch (condition.op) {
    case '<':
      return value < t;
    case '<=':
      return value <= t;
    case '>':
      return value > t;
    case '>=':
      return value >= t;
    case '==':
      return value === t;
    case '!=':
      return !Number.isNaN(value) && value !== t;
  }
}
