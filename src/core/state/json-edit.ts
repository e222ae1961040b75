// Surgical JSON edits: find the value's character range, splice the new value in written the way the
// file already writes things (indent unit, CRLF, spacing, inline vs multi-line), touch nothing else.
import { StateFileError } from '../errors.js';
import { type JsonNode, nodeValue, scanJson } from './json-scan.js';
import { deepEqual, isPlainObject, missingSegmentMessage } from './key-path.js';

export interface Splice {
  start: number;
  end: number;
  text: string;
}

export function findJsonNode(
  file: string,
  root: JsonNode,
  key: string,
  segments: readonly string[],
): JsonNode {
  let node = root;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    if (node.kind === 'object') {
      const member = node.members.find((m) => m.key === seg);
      if (!member) throw new StateFileError(missingSegmentMessage(key, segments, i, 'object'), file);
      node = member.value;
    } else if (node.kind === 'array' && /^\d+$/.test(seg) && Number(seg) < node.items.length) {
      node = node.items[Number(seg)]!;
    } else {
      const what = node.kind === 'array' ? 'array' : `a ${typeofScalar(node.value)}`;
      throw new StateFileError(missingSegmentMessage(key, segments, i, what), file);
    }
  }
  return node;
}

function typeofScalar(value: string | number | boolean | null): string {
  return value === null ? 'null' : typeof value;
}

export function readJson(file: string, text: string, key: string, segments: readonly string[]): unknown {
  return nodeValue(findJsonNode(file, scanJson(file, text), key, segments));
}

/** Returns the new text. The caller verifies the result (see index.ts). */
export function editJson(
  file: string,
  text: string,
  key: string,
  segments: readonly string[],
  value: unknown,
) {
  const root = scanJson(file, text);
  const node = findJsonNode(file, root, key, segments);
  const style = detectStyle(text);
  const splices: Splice[] = [];
  spliceValue(text, node, value, style, splices);
  return { oldValue: nodeValue(node), oldRoot: nodeValue(root), newText: applySplices(text, splices) };
}

export function applySplices(text: string, splices: Splice[]): string {
  // Right to left, so earlier offsets stay valid.
  const sorted = [...splices].sort((a, b) => b.start - a.start);
  let out = text;
  for (const s of sorted) out = out.slice(0, s.start) + s.text + out.slice(s.end);
  return out;
}

interface FileStyle {
  newline: string;
  indentUnit: string;
}

function detectStyle(text: string): FileStyle {
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  let indentUnit = '  ';
  let smallest = Number.POSITIVE_INFINITY;
  for (const m of text.matchAll(/\n([ \t]+)\S/g)) {
    const ws = m[1]!;
    if (ws.startsWith('\t')) {
      indentUnit = '\t';
      break;
    }
    if (ws.length < smallest) {
      smallest = ws.length;
      indentUnit = ws;
    }
  }
  return { newline, indentUnit };
}

/**
 * Where old and new have the same shape (same keys, same length), descend and replace only the leaves
 * that differ: a weights map keeps its layout and only its numbers change. Elsewhere write the value anew.
 */
function spliceValue(text: string, node: JsonNode, value: unknown, style: FileStyle, out: Splice[]): void {
  if (deepEqual(nodeValue(node), value)) return; // keeps `1.0`, `\u0041` and friends as written
  if (node.kind === 'object' && isPlainObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === node.members.length && node.members.every((m) => Object.hasOwn(value, m.key))) {
      for (const m of node.members) spliceValue(text, m.value, value[m.key], style, out);
      return;
    }
  }
  if (node.kind === 'array' && Array.isArray(value) && value.length === node.items.length) {
    node.items.forEach((item, i) => {
      spliceValue(text, item, value[i], style, out);
    });
    return;
  }
  out.push({ start: node.start, end: node.end, text: renderLike(text, node, value, style) });
}

/** Writes `value` in the layout the replaced node had: inline stays inline, multi-line stays multi-line. */
function renderLike(text: string, node: JsonNode, value: unknown, style: FileStyle): string {
  const old = text.slice(node.start, node.end);
  const multiline = old.includes('\n') || (node.kind === 'scalar' && hasLineBreaks(text));
  const lineStart = text.lastIndexOf('\n', node.start - 1) + 1;
  const baseIndent = /^[ \t]*/.exec(text.slice(lineStart, node.start))![0];
  const spacing = detectInlineSpacing(node.kind !== 'scalar' && old.includes(',') ? old : text);
  return render(value, { ...style, multiline, baseIndent, ...spacing });
}

/** A minified file (no line breaks at all) gets its new collections minified too. */
function hasLineBreaks(text: string): boolean {
  return text.trimEnd().includes('\n');
}

function detectInlineSpacing(sample: string): { colon: string; comma: string; pad: string } {
  return {
    colon: /":\S/.test(sample) && !/": /.test(sample) ? ':' : ': ',
    comma: /,\S/.test(sample) && !/, /.test(sample) ? ',' : ', ',
    pad: /[{[] \S/.test(sample) || !/[{[]\S/.test(sample) ? ' ' : '',
  };
}

interface RenderOptions extends FileStyle {
  multiline: boolean;
  baseIndent: string;
  colon: string;
  comma: string;
  pad: string;
}

function render(value: unknown, o: RenderOptions): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const parts = value.map((v) => render(v, { ...o, baseIndent: o.baseIndent + o.indentUnit }));
    return wrap('[', ']', parts, o);
  }
  if (isPlainObject(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    const inner = { ...o, baseIndent: o.baseIndent + o.indentUnit };
    const parts = entries.map(([k, v]) => `${JSON.stringify(k)}${o.colon}${render(v, inner)}`);
    return wrap('{', '}', parts, o);
  }
  return JSON.stringify(value);
}

function wrap(open: string, close: string, parts: string[], o: RenderOptions): string {
  if (!o.multiline) return `${open}${o.pad}${parts.join(o.comma)}${o.pad}${close}`;
  const inner = o.baseIndent + o.indentUnit;
  return `${open}${o.newline}${parts.map((p) => inner + p).join(`,${o.newline}`)}${o.newline}${o.baseIndent}${close}`;
}
