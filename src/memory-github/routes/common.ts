// What every REST route of the in-memory GitHub shares: the request and reply shapes, the route table
// entry, and GitHub's answers for success and failure.
import { errorJson, type Site } from '../json/base.js';
import type { DoubleState, Person, RepoState } from '../state.js';

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RestRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: Record<string, unknown>;
  baseUrl: string;
  /** The request carries the installation token the double minted: the app's permissions apply. */
  asApp?: boolean;
  /** The person whose token made the call (DoubleState.people); the app otherwise. */
  actor?: Person;
  /** The bearer token of the request, if any. */
  token?: string;
}

/** One request being answered: the state, the request, where it is served, the path's parameters. */
export interface Call {
  s: DoubleState;
  req: RestRequest;
  site: Site;
  /** The path parameters after `{owner}/{repo}`, decoded, in template order. */
  params: string[];
}

/** The installation permission a route needs (GET: read, anything else: write); none for app-level routes. */
export type Needs = string | undefined;

/** A route: method, GitHub's path template (as in its OpenAPI description), permission, handler. */
export type RepoRoute = [string, string, Needs, (c: Call, r: RepoState) => Reply];
export type AppRoute = [string, string, Needs, (c: Call) => Reply];

export const ok = (body: unknown, status = 200): Reply => ({ status, body });
export const fail = (status: number, message: string, errors?: unknown[]): Reply => ({
  status,
  body: errorJson(status, message, errors),
});
export const notFound = (): Reply => fail(404, 'Not Found');
export const noContent = (): Reply => ({ status: 204 });

/** GitHub's limit on issue and comment bodies. */
const BODY_LIMIT = 65_536;

/** The 422 GitHub answers for a body over its limit, or undefined when the body fits. */
export function bodyTooLong(body: unknown, resource: 'Issue' | 'IssueComment' = 'Issue'): Reply | undefined {
  if (typeof body !== 'string' || body.length <= BODY_LIMIT) return undefined;
  return fail(422, `Body is too long (maximum is ${BODY_LIMIT} characters)`, [
    { resource, code: 'custom', field: 'body', message: 'body is too long' },
  ]);
}

/** The request's query parameter as a positive integer, or the default. */
export function pageParam(req: RestRequest, name: 'per_page' | 'page', fallback: number): number {
  const value = Number(req.query.get(name) ?? fallback);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

/** One page of a list, as GitHub pages it (`per_page` at most 100). */
export function page<T>(req: RestRequest, all: T[]): T[] {
  const perPage = Math.min(100, pageParam(req, 'per_page', 30));
  const at = pageParam(req, 'page', 1);
  return all.slice((at - 1) * perPage, at * perPage);
}
