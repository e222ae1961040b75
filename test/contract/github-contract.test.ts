// The port's traffic against GitHub's own published descriptions (dev dependencies only): every GraphQL
// document it sends, with the variables it sends, is valid against @octokit/graphql-schema; every REST
// route, parameter and body field exists in @octokit/openapi (api.github.com).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { schema as githubSchema } from '@octokit/graphql-schema';
import {
  buildClientSchema,
  type GraphQLSchema,
  getVariableValues,
  type IntrospectionQuery,
  Kind,
  type OperationDefinitionNode,
  parse,
  validate,
} from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Recording, recordPortTraffic } from './record.js';

/* biome-ignore lint/suspicious/noExplicitAny: the OpenAPI document is plain JSON */
type Json = any;

let rec: Recording;
let schema: GraphQLSchema;
let openapi: Json;

beforeAll(async () => {
  rec = await recordPortTraffic();
  // The introspection form: the SDL file of this version defines two fields twice, which buildSchema refuses.
  // assumeValid: GitHub's schema itself breaks a graphql-js rule (a deprecation mismatch), not our documents.
  schema = buildClientSchema(githubSchema.json as IntrospectionQuery, { assumeValid: true });
  openapi = JSON.parse(readFileSync('node_modules/@octokit/openapi/generated/api.github.com.json', 'utf8'));
}, 120_000);

function operationOf(query: string): OperationDefinitionNode {
  const op = parse(query).definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (!op) throw new Error('no operation');
  return op as OperationDefinitionNode;
}

describe('GraphQL documents against @octokit/graphql-schema', () => {
  it('sends every operation of the port, each variant at least once', () => {
    const names = rec.graphql.map((c) => operationOf(c.query).name?.value);
    expect(new Set(names)).toEqual(
      new Set([
        'FailoverSnapshot',
        'FailoverStateFiles',
        'FailoverOpenPr',
        'FailoverMergeState',
        'FailoverAutoMerge',
        'FailoverEnqueue',
      ]),
    );
    const openPr = rec.graphql.filter((c) => c.query.startsWith('mutation FailoverOpenPr'));
    expect(openPr.some((c) => c.query.includes('createRef('))).toBe(true);
    expect(openPr.some((c) => c.query.includes('updateRefs('))).toBe(true);
  });

  it('every document validates, and its variables coerce to the declared types', () => {
    const problems: string[] = [];
    for (const call of rec.graphql) {
      const op = operationOf(call.query);
      const name = op.name?.value ?? '(anonymous)';
      for (const e of validate(schema, parse(call.query))) problems.push(`${name}: ${e.message}`);
      const coerced = getVariableValues(schema, op.variableDefinitions ?? [], call.vars);
      for (const e of 'errors' in coerced ? (coerced.errors ?? []) : [])
        problems.push(`${name} variables: ${e.message}`);
    }
    expect(problems).toEqual([]);
  });
});

/** The OpenAPI operation for an Octokit route ("GET /repos/{owner}/{repo}/pulls"). */
function operationFor(route: string): Json | undefined {
  const [method = '', path = ''] = route.split(' ');
  return openapi.paths[path]?.[method.toLowerCase()];
}

function resolveRef(node: Json): Json {
  if (!node?.$ref) return node;
  const parts = String(node.$ref).replace(/^#\//, '').split('/');
  return resolveRef(parts.reduce((at: Json, key: string) => at?.[key], openapi));
}

/** Names the operation accepts: path and query parameters, and top-level JSON body properties. */
function acceptedNames(op: Json): Set<string> {
  const names = new Set<string>();
  for (const p of op.parameters ?? []) names.add(resolveRef(p).name);
  const body = resolveRef(op.requestBody?.content?.['application/json']?.schema);
  for (const variant of [body, ...(body?.oneOf ?? []), ...(body?.anyOf ?? [])])
    for (const key of Object.keys(resolveRef(variant)?.properties ?? {})) names.add(key);
  return names;
}

describe('the checks themselves', () => {
  it('catch an unknown field, a wrongly typed variable, and an unknown REST parameter', () => {
    const bad =
      'query Bad($n: String!) { repository(owner: "a", name: "b") { pullRequest(number: $n) { nope } } }';
    expect(validate(schema, parse(bad)).map((e) => e.message)).toEqual(
      expect.arrayContaining([expect.stringContaining('"nope"'), expect.stringContaining('"$n"')]),
    );
    const merge = acceptedNames(operationFor('PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge'));
    expect(merge.has('sha')).toBe(true);
    expect(merge.has('expected_head_sha')).toBe(false);
  });
});

describe('REST routes against @octokit/openapi', () => {
  it('every route named in src/ and bot/ exists', () => {
    const routes = new Set<string>();
    for (const file of sourceFiles()) {
      for (const m of readFileSync(file, 'utf8').matchAll(/'((?:GET|POST|PATCH|PUT|DELETE) \/[^']+)'/g))
        routes.add(m[1] ?? '');
    }
    expect(routes.size).toBeGreaterThan(15);
    expect([...routes].filter((r) => !operationFor(r))).toEqual([]);
  });

  it('every parameter and body field the port sends exists on its route', () => {
    expect(rec.rest.length).toBeGreaterThan(25);
    const problems: string[] = [];
    for (const call of rec.rest) {
      const op = operationFor(call.route);
      if (!op) {
        problems.push(`${call.route}: no such route`);
        continue;
      }
      const accepted = acceptedNames(op);
      for (const key of Object.keys(call.params))
        if (!accepted.has(key)) problems.push(`${call.route}: no parameter or body field "${key}"`);
    }
    expect([...new Set(problems)]).toEqual([]);
  });
});

function sourceFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const full = `${dir}/${entry}`;
      if (statSync(full).isDirectory()) walk(full);
      else if (full.endsWith('.ts') && !full.startsWith('src/memory-github/')) out.push(full);
    }
  };
  walk('src');
  walk('bot');
  return out;
}
