// A deliberately small JSON path: `status`, `$.checks.db.ok`, `items[0].name`, `labels["app.kubernetes.io/name"]`.
// Health endpoints rarely need more, and a tiny grammar gives precise error messages.
import { UserError } from '../core/errors.js';

export type PathSegment = string | number;

const STEP =
  /^(?:\.?([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[\s*"((?:[^"\\]|\\.)*)"\s*\]|\[\s*'((?:[^'\\]|\\.)*)'\s*\])/;

/** Parses a path into object keys and array indexes; throws UserError naming the unparseable rest. */
export function parseJsonPath(path: string): PathSegment[] {
  let rest = path.trim();
  if (rest.startsWith('$')) rest = rest.slice(1);
  const segments: PathSegment[] = [];
  while (rest.length > 0) {
    const m = STEP.exec(rest);
    if (!m) throw new UserError(`JSON path "${path}": cannot read "${rest}" (use a.b, a[0] or a["key"])`);
    const [whole, ident, index, dq, sq] = m;
    if (ident !== undefined) segments.push(ident);
    else if (index !== undefined) segments.push(Number(index));
    else segments.push((dq ?? sq ?? '').replace(/\\(.)/g, '$1'));
    rest = rest.slice(whole.length);
  }
  if (segments.length === 0) throw new UserError(`JSON path "${path}" is empty`);
  return segments;
}

/** Follows the path; `found: false` when any step is missing or walks into a non-container. */
export function readJsonPath(value: unknown, segments: PathSegment[]): { found: boolean; value?: unknown } {
  let current: unknown = value;
  for (const segment of segments) {
    if (typeof segment === 'number') {
      if (!Array.isArray(current) || segment >= current.length) return { found: false };
      current = current[segment];
    } else {
      if (current === null || typeof current !== 'object' || !Object.hasOwn(current, segment)) {
        return { found: false };
      }
      current = (current as Record<string, unknown>)[segment];
    }
  }
  return { found: true, value: current };
}
