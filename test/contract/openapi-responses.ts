// Validates answers against the response schemas of GitHub's OpenAPI description (@octokit/openapi,
// api.github.com). OpenAPI 3.0's `nullable` is not JSON Schema: it is turned into a type union (or
// `anyOf` with null) before Ajv sees the document, so `nullable` fields accept null and nothing else does.
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import formats from 'ajv-formats';

/* biome-ignore lint/suspicious/noExplicitAny: the OpenAPI document is plain JSON */
type Json = any;

const DOC_ID = 'https://api.github.com/openapi';
const BASIC_ERROR = '/components/schemas/basic-error';

/** OpenAPI 3.0 → JSON Schema for the parts Ajv reads: `nullable: true` becomes an explicit null. */
export function withNullables(node: Json): Json {
  if (Array.isArray(node)) return node.map(withNullables);
  if (node === null || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) if (key !== 'nullable') out[key] = withNullables(value);
  if (node.nullable !== true) return out;
  if (typeof out.type !== 'string') return { anyOf: [out, { type: 'null' }] };
  out.type = [out.type, 'null'];
  if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  return out;
}

/** A JSON pointer segment (`/repos/{owner}` → `~1repos~1{owner}`). */
const pointer = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

export interface Verdict {
  /** What the answer was checked against: `200 pull-request`, or `404 basic-error (undeclared)`. */
  against: string;
  errors: string[];
}

export class ResponseValidator {
  readonly doc: Json;
  private readonly ajv: Ajv;
  private readonly cache = new Map<string, ValidateFunction>();

  constructor(file = 'node_modules/@octokit/openapi/generated/api.github.com.json') {
    this.doc = JSON.parse(readFileSync(file, 'utf8'));
    this.ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
    formats.default(this.ajv);
    for (const name of ['int32', 'int64', 'double', 'binary', 'timestamp', 'repo.nwo'])
      this.ajv.addFormat(name, true);
    this.ajv.addSchema({ ...withNullables(this.doc), $id: DOC_ID });
  }

  /** The OpenAPI operation of a method and path template, if GitHub describes it. */
  operation(method: string, template: string): Json | undefined {
    return this.doc.paths[template]?.[method.toLowerCase()];
  }

  /**
   * Checks an answer against the schema GitHub declares for its route and status. An error status the
   * route does not declare is checked against GitHub's general error (basic-error); an undeclared success
   * is a problem. Every error body must also carry `message` and `documentation_url`, as GitHub's do.
   */
  check(method: string, template: string, status: number, data: unknown): Verdict {
    const op = this.operation(method, template);
    if (!op) return { against: 'nothing', errors: [`no operation ${method} ${template}`] };
    const declared = op.responses?.[String(status)];
    if (!declared && status < 400)
      return { against: String(status), errors: [`undeclared status ${status}`] };
    const declaredAt = declared && this.schemaPointer(method, template, status, declared);
    // GitHub sends its error body even where the description declares none (or no status at all).
    const at = declaredAt ?? (status >= 400 ? BASIC_ERROR : undefined);
    const errors = at ? this.validate(at, data) : emptyBody(data);
    const label = `${status} ${at ? schemaName(this.at(at), at) : 'no body'}`;
    if (status >= 400) errors.push(...errorFields(data));
    return { against: label, errors };
  }

  /** Validates `data` against the schema at a JSON pointer into the document. */
  validate(at: string, data: unknown): string[] {
    const fn = this.cache.get(at) ?? this.ajv.compile({ $ref: `${DOC_ID}#${at}` });
    this.cache.set(at, fn);
    if (fn(data)) return [];
    return (fn.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`.trim());
  }

  /** Where the JSON schema of a declared response is (the response itself may be a shared `$ref`). */
  private schemaPointer(
    method: string,
    template: string,
    status: number,
    declared: Json,
  ): string | undefined {
    const base = declared.$ref
      ? String(declared.$ref).replace(/^#/, '')
      : `/paths/${pointer(template)}/${method.toLowerCase()}/responses/${status}`;
    const response = declared.$ref ? this.at(base) : declared;
    return response.content?.['application/json']?.schema
      ? `${base}/content/application~1json/schema`
      : undefined;
  }

  private at(p: string): Json {
    return p
      .split('/')
      .filter(Boolean)
      .reduce((node: Json, key) => node?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], this.doc);
  }
}

/** `pull-request` for a shared schema, `[pull-request-simple]` for an array of one, else where it is. */
function schemaName(schema: Json, at: string): string {
  const ref = (node: Json) =>
    String(node?.$ref ?? '')
      .split('/')
      .at(-1);
  if (ref(schema)) return ref(schema) ?? at;
  if (ref(schema?.items)) return `[${ref(schema.items)}]`;
  return at.startsWith('/components/') ? (at.split('/').at(-1) ?? at) : `inline ${schema?.type ?? 'schema'}`;
}

function emptyBody(data: unknown): string[] {
  return data === undefined || data === '' || data === null ? [] : ['a body where GitHub declares none'];
}

function errorFields(data: unknown): string[] {
  const body = (data ?? {}) as Record<string, unknown>;
  return ['message', 'documentation_url']
    .filter((key) => typeof body[key] !== 'string')
    .map((key) => `error body lacks ${key}`);
}
