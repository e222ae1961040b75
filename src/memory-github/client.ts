// The in-memory GitHub without HTTP: a client with the port's `request`/`graphql` shape that answers from
// a DoubleState in-process. `failover test` uses it so a scenario needs no socket and the CLI bundle no
// Octokit; failures are thrown the way Octokit throws them (status + response, or a GraphQL `errors`
// array), so the port classifies and retries them exactly as it does against GitHub.
import type { GitHubClient } from '../github/client.js';
import { handleGraphql } from './graphql.js';
import { errorJson } from './json/base.js';
import { handleRest } from './rest.js';
import type { DoubleState } from './state.js';

/** The port's client shape (a plain Octokit's `request` and `graphql`). */
export type MemoryClient = GitHubClient;

/** Octokit's RequestError, as far as the port reads it. */
export class MemoryRequestError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    readonly response: { status: number; headers: Record<string, string>; data: unknown },
  ) {
    super(String((response.data as { message?: unknown } | undefined)?.message ?? `HTTP ${status}`));
  }
}

/** Octokit's GraphqlResponseError: a 200 answer that carries errors (and the partial data). */
export class MemoryGraphqlError extends Error {
  override readonly name = 'GraphqlResponseError';
  constructor(
    readonly errors: { type: string; message: string; path: string[] }[],
    readonly data: unknown,
  ) {
    super(errors.map((e) => e.message).join('; '));
  }
}

/** Parameters Octokit takes as options rather than as URL, query or body fields. */
const OPTION_KEYS = new Set(['headers', 'mediaType', 'request', 'baseUrl']);

const BASE_URL = 'https://api.github.com';

export function memoryClient(state: DoubleState): MemoryClient {
  return {
    async request(route, params = {}) {
      // What GitHub does on its own meanwhile (auto-merge and merge queues merging) happens first.
      state.settle();
      const { method, path, rest } = expandRoute(route, params);
      const query = new URLSearchParams();
      let body: Record<string, unknown> = {};
      if (method === 'GET' || method === 'DELETE') {
        for (const [k, v] of Object.entries(rest)) query.set(k, String(v));
      } else {
        // Through JSON, as over the wire: nothing the caller keeps can alias the double's state.
        body = JSON.parse(JSON.stringify(rest)) as Record<string, unknown>;
      }
      const reply = handleRest(state, { method, path, query, body, baseUrl: BASE_URL }) ?? {
        status: 404,
        body: errorJson(404, `Not Found (the in-memory GitHub does not implement ${method} ${path})`),
      };
      const data = reply.body === undefined ? undefined : (JSON.parse(JSON.stringify(reply.body)) as unknown);
      const headers = reply.headers ?? {};
      if (reply.status >= 400)
        throw new MemoryRequestError(reply.status, { status: reply.status, headers, data });
      return { status: reply.status, data, headers };
    },
    async graphql<T>(query: string, vars: Record<string, unknown> = {}) {
      state.settle();
      const answer = handleGraphql(state, query, JSON.parse(JSON.stringify(vars)) as Record<string, unknown>);
      const copy = JSON.parse(JSON.stringify(answer)) as typeof answer;
      if (copy.errors && copy.errors.length > 0) throw new MemoryGraphqlError(copy.errors, copy.data);
      return copy.data as T;
    },
  };
}

/** `GET /repos/{owner}/{repo}/pulls` + params → method, filled-in path and the params left over. */
export function expandRoute(
  route: string,
  params: Record<string, unknown>,
): { method: string; path: string; rest: Record<string, unknown> } {
  const space = route.indexOf(' ');
  const method = route.slice(0, space).toUpperCase();
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) if (!OPTION_KEYS.has(k) && v !== undefined) rest[k] = v;
  const path = route.slice(space + 1).replace(/\{(\w+)\}/g, (_m, key: string) => {
    const value = rest[key];
    delete rest[key];
    return encodeURIComponent(String(value ?? ''));
  });
  return { method, path, rest };
}
