// Maps a path inside the parsed config (as zod reports it) back to the YAML node it came from, so every
// problem can be shown as FILE:LINE:COL. Pure: works on the yaml package's AST only.
import { type Document, isAlias, isMap, isScalar, isSeq, type LineCounter, type Node } from 'yaml';

export type PathSegment = string | number;

export interface Position {
  line: number;
  column: number;
}

interface Located {
  /** Offset of the node the problem is about (or of its nearest existing parent). */
  offset: number;
  /** True when every segment of the path was found in the document. */
  exact: boolean;
}

/**
 * Finds the source offset for `path`. With `atKey`, the last segment names a mapping key and the
 * position is that of the key itself (unknown keys, bad service names). When a segment is missing
 * (a required key left out), the position falls back to the key of the nearest parent that exists,
 * which is where a reader would add the missing part.
 */
export function locate(doc: Document, path: readonly PathSegment[], atKey = false): Located {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  // Where the current node was introduced: its key for a mapping value, the item itself in a list.
  let introducedAt = offset;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((p) => keyText(p.key) === String(segment));
      if (!pair) return { offset: introducedAt, exact: false };
      const keyStart = rangeStart(pair.key);
      const last = i === path.length - 1;
      if (last && atKey && keyStart !== undefined) return { offset: keyStart, exact: true };
      // An empty value (`state:` with nothing after it) has no useful position of its own: use the key.
      const valueStart = isEmptyScalar(pair.value) ? undefined : rangeStart(pair.value);
      offset = valueStart ?? keyStart ?? offset;
      introducedAt = keyStart ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (item === undefined) return { offset: introducedAt, exact: false };
      offset = rangeStart(item) ?? offset;
      introducedAt = offset;
      node = item;
    } else {
      return { offset: introducedAt, exact: false };
    }
  }
  return { offset, exact: true };
}

export function positionOf(lineCounter: LineCounter, offset: number): Position {
  const { line, col } = lineCounter.linePos(offset);
  return { line: Math.max(1, line), column: Math.max(1, col) };
}

/** `services.checkout.targets[1]`; keys that are not plain words are quoted: `services["api.v2"]`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z0-9_$-]+$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

function isEmptyScalar(node: unknown): boolean {
  return isScalar(node) && node.value === null && (node.source === '' || node.source === undefined);
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : undefined;
}
