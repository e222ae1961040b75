// YAML edits through the `yaml` package's parsed nodes, which carry the source range of every value.
// Only those ranges are rewritten, so comments (even on the edited line), anchors, blank lines, quoting
// and line endings elsewhere stay byte-for-byte. Re-stringifying the Document would reformat the file.
import {
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  type Node,
  parseAllDocuments,
  parse as parseYaml,
  visit,
} from 'yaml';
import { StateFileError } from '../errors.js';
import { YAML_MAX_ALIAS_COUNT } from '../yaml-limits.js';
import { applySplices, type Splice } from './json-edit.js';
import { deepEqual, isPlainObject, missingSegmentMessage } from './key-path.js';

const PARSE_OPTIONS = { uniqueKeys: true, prettyErrors: true, strict: true } as const;

export function parseYamlFile(file: string, text: string): Document.Parsed {
  const docs = parseAllDocuments(text, PARSE_OPTIONS);
  if (!Array.isArray(docs) || docs.length === 0)
    throw new StateFileError('is empty: no YAML document in it', file);
  if (docs.length > 1) {
    throw new StateFileError(`holds ${docs.length} YAML documents; a desired-state file must hold one`, file);
  }
  const doc = docs[0]!;
  const err = doc.errors[0];
  if (err) {
    const pos = err.linePos?.[0];
    const where = pos ? ` at line ${pos.line}, column ${pos.col}` : '';
    const duplicate = err.code === 'DUPLICATE_KEY' ? 'duplicate key: ' : '';
    const firstLine = err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new StateFileError(`does not parse as YAML${where}: ${duplicate}${firstLine}`, file);
  }
  return doc;
}

/** The JS value of the whole document, as the verification compares it. */
export function yamlValue(file: string, text: string): unknown {
  return parseYamlFile(file, text).toJS({ maxAliasCount: YAML_MAX_ALIAS_COUNT });
}

function findYamlNode(file: string, doc: Document.Parsed, key: string, segments: readonly string[]): Node {
  let node: unknown = doc.contents;
  const path: Node[] = [];
  for (let i = 0; i <= segments.length; i++) {
    if (isAlias(node)) {
      const at = segments.slice(0, i).join('.') || 'the top level';
      throw new StateFileError(
        `"${at}" is an alias (*${node.source}); edit the anchored value instead, or write the value out`,
        file,
      );
    }
    if (i === segments.length) break;
    const seg = segments[i]!;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === seg);
      if (!pair) throw new StateFileError(missingSegmentMessage(key, segments, i, 'object'), file);
      path.push(node);
      node = pair.value;
    } else if (isSeq(node) && /^\d+$/.test(seg) && Number(seg) < node.items.length) {
      path.push(node);
      node = node.items[Number(seg)];
    } else {
      const what = isSeq(node) ? 'array' : isScalar(node) ? `a ${describeScalar(node.value)}` : 'empty';
      throw new StateFileError(missingSegmentMessage(key, segments, i, what), file);
    }
  }
  if (!node || !(node as Node).range) {
    throw new StateFileError(`key "${key}" has no value written in the file; write null there first`, file);
  }
  refuseAliasedAnchors(file, doc, key, [...path, node as Node]);
  return node as Node;
}

function describeScalar(value: unknown): string {
  return value === null ? 'null' : typeof value;
}

/** Changing an anchored value would also change every alias of it, i.e. other keys: refuse plainly. */
function refuseAliasedAnchors(file: string, doc: Document.Parsed, key: string, path: Node[]): void {
  const aliased = new Set<string>();
  visit(doc, {
    Alias(_k, alias) {
      aliased.add(alias.source);
    },
  });
  if (aliased.size === 0) return;
  const check = (n: Node | null | undefined) => {
    if (n && 'anchor' in n && typeof n.anchor === 'string' && aliased.has(n.anchor)) {
      throw new StateFileError(
        `"${key}" sits inside &${n.anchor}, which is aliased elsewhere; editing it would change those keys too`,
        file,
      );
    }
  };
  path.forEach(check);
  visit(path[path.length - 1]!, {
    Node(_k, n) {
      check(n);
    },
  });
}

export function readYaml(file: string, text: string, key: string, segments: readonly string[]): unknown {
  const doc = parseYamlFile(file, text);
  return findYamlNode(file, doc, key, segments).toJS(doc, { maxAliasCount: YAML_MAX_ALIAS_COUNT });
}

export function editYaml(
  file: string,
  text: string,
  key: string,
  segments: readonly string[],
  value: unknown,
) {
  const doc = parseYamlFile(file, text);
  const node = findYamlNode(file, doc, key, segments);
  const splices: Splice[] = [];
  spliceNode(text, node, value, splices);
  return {
    oldValue: node.toJSON() as unknown,
    oldRoot: doc.toJS({ maxAliasCount: YAML_MAX_ALIAS_COUNT }) as unknown,
    newText: applySplices(text, splices),
  };
}

/** Same shape (same keys / same length): descend and replace only differing scalars. */
function spliceNode(text: string, node: Node, value: unknown, out: Splice[]): void {
  if (deepEqual(node.toJSON(), value)) return;
  if (isMap(node) && isPlainObject(value)) {
    const keys = Object.keys(value);
    const pairs = node.items.filter((p) => isScalar(p.key));
    const sameKeys =
      pairs.length === node.items.length &&
      keys.length === pairs.length &&
      pairs.every((p) => Object.hasOwn(value, String((p.key as { value: unknown }).value)));
    if (sameKeys && pairs.every((p) => p.value && (p.value as Node).range && !isAlias(p.value))) {
      for (const p of pairs)
        spliceNode(text, p.value as Node, value[String((p.key as { value: unknown }).value)], out);
      return;
    }
  }
  if (isSeq(node) && Array.isArray(value) && value.length === node.items.length) {
    if (node.items.every((n) => n && (n as Node).range && !isAlias(n))) {
      node.items.forEach((n, i) => {
        spliceNode(text, n as Node, value[i], out);
      });
      return;
    }
  }
  const [start, end] = node.range!;
  if (isScalar(node)) {
    // `key:` with nothing after it is a null with an empty range: keep a space after the colon.
    const pad = start === end ? ' ' : '';
    out.push({ start, end, text: pad + renderYaml(value, node.type) });
  } else if ((isMap(node) || isSeq(node)) && node.flow) {
    out.push({ start, end, text: renderYaml(value) });
  } else {
    out.push({ start, end, text: renderBlock(text, start, end, value) });
  }
}

/**
 * A block map or list whose keys changed is rewritten as a block at the same indent; its range runs
 * from the first key to the line break after the last value, and so does the replacement.
 */
function renderBlock(text: string, start: number, end: number, value: unknown): string {
  const old = text.slice(start, end);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const tail = /\r?\n$/.exec(old)?.[0] ?? '';
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const indent = ' '.repeat(start - lineStart);
  let lines: string[];
  if (Array.isArray(value) && value.length > 0) lines = value.map((v) => `- ${renderYaml(v)}`);
  else if (isPlainObject(value) && Object.keys(value).length > 0) {
    lines = Object.entries(value).map(
      ([k, v]) => `${plainSafe(k) ? k : JSON.stringify(k)}: ${renderYaml(v)}`,
    );
  } else lines = [renderYaml(value)];
  return lines.join(eol + indent) + tail;
}

/** A plain scalar only when YAML would read it back as the same string (`true`, `1.0`, `no` would not). */
function plainSafe(s: string): boolean {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_./@-]*$/.test(s)) return false;
  try {
    // YAML 1.1 readers (Ansible, older tools) take `no`, `on`, `y` as booleans: quote those too.
    return parseYaml(s) === s && parseYaml(s, { version: '1.1' }) === s;
  } catch {
    return false;
  }
}

function renderYaml(value: unknown, style?: string): string {
  if (typeof value === 'string') {
    if (style === 'QUOTE_SINGLE' && !/[\n\r]/.test(value)) return `'${value.replaceAll("'", "''")}'`;
    if (style !== 'QUOTE_DOUBLE' && plainSafe(value)) return value;
    return JSON.stringify(value); // a JSON string is a valid YAML double-quoted scalar
  }
  if (Array.isArray(value)) return value.length ? `[ ${value.map((v) => renderYaml(v)).join(', ')} ]` : '[]';
  if (isPlainObject(value)) {
    const entries = Object.entries(value).map(
      ([k, v]) => `${plainSafe(k) ? k : JSON.stringify(k)}: ${renderYaml(v)}`,
    );
    return entries.length ? `{ ${entries.join(', ')} }` : '{}';
  }
  return JSON.stringify(value);
}
