// A small JSON scanner that keeps the exact character range of every value, so an edit can splice
// one value into the original text and leave every other byte where it was. JSON.parse cannot do that.
import { StateFileError } from '../errors.js';

export interface JsonMember {
  key: string;
  keyStart: number;
  value: JsonNode;
}

export type JsonNode =
  | { kind: 'object'; start: number; end: number; members: JsonMember[] }
  | { kind: 'array'; start: number; end: number; items: JsonNode[] }
  | { kind: 'scalar'; start: number; end: number; value: string | number | boolean | null };

/** Deeper than any real desired-state file; stops a hostile file from exhausting the stack. */
const MAX_DEPTH = 256;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

/** Line and column (both 1-based) of a character offset. */
export function lineCol(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

export function scanJson(file: string, text: string): JsonNode {
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;

  const fail = (message: string, at = pos): never => {
    const { line, column } = lineCol(text, at);
    throw new StateFileError(`does not parse as JSON at line ${line}, column ${column}: ${message}`, file);
  };

  const skipSpace = (): void => {
    while (pos < text.length) {
      const c = text.charCodeAt(pos);
      if (c === 32 || c === 9 || c === 10 || c === 13) pos++;
      else break;
    }
  };

  const describeHere = (): string =>
    pos >= text.length ? 'unexpected end of file' : `unexpected ${JSON.stringify(text[pos])}`;

  const readString = (): { value: string; start: number } => {
    const start = pos;
    STRING.lastIndex = pos;
    const m = STRING.exec(text);
    if (!m)
      fail(text[pos] === '"' ? 'unterminated or invalid string' : `${describeHere()}, expected a string`);
    pos = STRING.lastIndex;
    return { value: JSON.parse(m![0]) as string, start };
  };

  const readValue = (depth: number): JsonNode => {
    if (depth > MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH}`);
    skipSpace();
    const start = pos;
    const c = text[pos];
    if (c === '{') return readObject(depth, start);
    if (c === '[') return readArray(depth, start);
    if (c === '"') {
      const { value } = readString();
      return { kind: 'scalar', start, end: pos, value };
    }
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(word, pos)) {
        pos += word.length;
        return { kind: 'scalar', start, end: pos, value };
      }
    }
    NUMBER.lastIndex = pos;
    const m = NUMBER.exec(text);
    if (m) {
      pos = NUMBER.lastIndex;
      return { kind: 'scalar', start, end: pos, value: Number(m[0]) };
    }
    return fail(`${describeHere()}, expected a value`);
  };

  const readObject = (depth: number, start: number): JsonNode => {
    pos++; // {
    const members: JsonMember[] = [];
    const seen = new Map<string, number>();
    skipSpace();
    if (text[pos] === '}') {
      pos++;
      return { kind: 'object', start, end: pos, members };
    }
    for (;;) {
      skipSpace();
      if (text[pos] !== '"') fail(`${describeHere()}, expected a key in double quotes`);
      const { value: key, start: keyStart } = readString();
      const first = seen.get(key);
      if (first !== undefined) {
        const a = lineCol(text, first);
        fail(`duplicate key "${key}" (first at line ${a.line}, column ${a.column})`, keyStart);
      }
      seen.set(key, keyStart);
      skipSpace();
      if (text[pos] !== ':') fail(`${describeHere()}, expected ':' after key "${key}"`);
      pos++;
      members.push({ key, keyStart, value: readValue(depth + 1) });
      skipSpace();
      if (text[pos] === ',') {
        pos++;
        continue;
      }
      if (text[pos] === '}') {
        pos++;
        return { kind: 'object', start, end: pos, members };
      }
      fail(`${describeHere()}, expected ',' or '}'`);
    }
  };

  const readArray = (depth: number, start: number): JsonNode => {
    pos++; // [
    const items: JsonNode[] = [];
    skipSpace();
    if (text[pos] === ']') {
      pos++;
      return { kind: 'array', start, end: pos, items };
    }
    for (;;) {
      items.push(readValue(depth + 1));
      skipSpace();
      if (text[pos] === ',') {
        pos++;
        continue;
      }
      if (text[pos] === ']') {
        pos++;
        return { kind: 'array', start, end: pos, items };
      }
      fail(`${describeHere()}, expected ',' or ']'`);
    }
  };

  const root = readValue(0);
  skipSpace();
  if (pos < text.length) fail(`${describeHere()} after the end of the document`);
  return root;
}

/** The plain value of a node (what JSON.parse would give for that range). */
export function nodeValue(node: JsonNode): unknown {
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'array') return node.items.map(nodeValue);
  const out: Record<string, unknown> = {};
  for (const m of node.members) {
    // defineProperty: a key named "__proto__" must stay data, not change the prototype.
    Object.defineProperty(out, m.key, {
      value: nodeValue(m.value),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}
