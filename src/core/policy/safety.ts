// Safety invariants of DESIGN §3, checked on the state a change WOULD produce, for every path (alert,
// chatops, drill): never an unknown target; active-passive has exactly one active target; weighted keeps
// at least one target above zero and the configured sum; the file still parses and nothing else changed.
import { describeThrown } from '../errors.js';
import { editState, readStateValue, stateDocument } from '../state/index.js';
import { splitKey } from '../state/key-path.js';
import type { FileEdit, RuleResult, ServiceConfig } from '../types.js';
import { short } from './context.js';
import { weightProblems } from './weights.js';

export interface ChangeCheck {
  rule: RuleResult;
  /** Present whenever the edit could be built (even when an invariant fails: a forced override uses it). */
  edit?: FileEdit;
}

/** Builds the edit that sets the service's state value to `next` and checks every invariant on it. */
export function checkChange(service: string, svc: ServiceConfig, text: string, next: unknown): ChangeCheck {
  const problems = valueProblems(svc, next);
  let edit: FileEdit;
  try {
    edit = editState(svc.state.file, text, svc.state.key, next);
  } catch (err: unknown) {
    return {
      rule: {
        rule: 'safety',
        ok: false,
        seen: `${service}: the edit cannot be made: ${describeThrown(err)}`,
      },
    };
  }
  problems.push(...fileProblems(svc, edit, next));
  if (problems.length > 0) {
    return { rule: { rule: 'safety', ok: false, seen: `${service}: ${problems.join('; ')}` }, edit };
  }
  return {
    rule: {
      rule: 'safety',
      ok: true,
      seen: `${service}: ${svc.state.key} → ${short(next)}, invariants hold`,
    },
    edit,
  };
}

/** Invariants on the value alone. */
export function valueProblems(svc: ServiceConfig, next: unknown): string[] {
  if (svc.mode === 'active-passive') {
    if (typeof next !== 'string')
      return [`active-passive needs exactly one active target, got ${short(next)}`];
    if (!svc.targets.includes(next)) return [`unknown target ${short(next)}`];
    return [];
  }
  return weightProblems(svc, next);
}

/** The new text must parse, hold exactly the new value at the key, and equal the old text elsewhere. */
function fileProblems(svc: ServiceConfig, edit: FileEdit, next: unknown): string[] {
  const problems: string[] = [];
  try {
    const readBack = readStateValue(svc.state.file, edit.newText, svc.state.key);
    if (!deepEqual(readBack, next)) problems.push(`the edited file reads back ${short(readBack)}`);
  } catch (err: unknown) {
    return [`the edited file no longer parses: ${describeThrown(err)}`];
  }
  try {
    // Read as the state module reads (BOM, duplicates, alias limit): the three must never disagree.
    const segments = splitKey(svc.state.file, svc.state.key);
    const before = withoutKey(stateDocument(svc.state.file, edit.oldText), segments);
    const after = withoutKey(stateDocument(svc.state.file, edit.newText), segments);
    if (!deepEqual(before, after)) problems.push('the edit changes more than the configured key');
  } catch (err: unknown) {
    problems.push(`the edited file no longer parses: ${describeThrown(err)}`);
  }
  return problems;
}

function withoutKey(doc: unknown, parts: readonly string[]): unknown {
  const copy = structuredClone(doc) as Record<string, unknown>;
  let node: unknown = copy;
  for (const [i, part] of parts.entries()) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, part)) return copy;
    const record = node as Record<string, unknown>;
    if (i === parts.length - 1) delete record[part];
    else node = record[part];
  }
  return copy;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  const rb = b as Record<string, unknown>;
  const ra = a as Record<string, unknown>;
  return ka.every((k) => Object.hasOwn(rb, k) && deepEqual(ra[k], rb[k]));
}
