// GitHub's REST shapes for the objects everything else refers to: people, repositories, the app, its
// installations, and errors. Every field GitHub's OpenAPI description requires is present, API URLs are
// built on the base URL the request came in on, web URLs on github.com (where a user would open them).
import { createHash } from 'node:crypto';
import type { DoubleState, Person, RepoState } from '../state.js';

/** Where the answer is served: the API base URL (`http://127.0.0.1:port`, `https://api.github.com`). */
export interface Site {
  api: string;
  state: DoubleState;
}

export const WEB = 'https://github.com';
const DOCS = 'https://docs.github.com/rest';

/** A stable positive number for a name: GitHub's integer ids, derived so answers are deterministic. */
export function numericId(key: string): number {
  return Number.parseInt(createHash('sha1').update(key).digest('hex').slice(0, 8), 16) % 900_000_000;
}

/** A GraphQL-style node id: a type prefix and an opaque payload. */
export function nodeId(prefix: string, key: string): string {
  return `${prefix}_${Buffer.from(key).toString('base64url')}`;
}

/** GitHub's timestamps have whole seconds (`2026-11-26T03:00:01Z`). */
export function timestamp(iso: string): string;
export function timestamp(iso: string | undefined): string | null;
export function timestamp(iso: string | undefined): string | null {
  return iso === undefined ? null : iso.replace(/\.\d{3}Z$/, 'Z');
}

/** An account as GitHub shows it in `user`, `owner`, `creator` (simple-user). */
export interface Account {
  login: string;
  type: Person['type'] | 'Organization';
}

const USER_LINKS: Record<string, string> = {
  followers_url: '/followers',
  following_url: '/following{/other_user}',
  gists_url: '/gists{/gist_id}',
  starred_url: '/starred{/owner}{/repo}',
  subscriptions_url: '/subscriptions',
  organizations_url: '/orgs',
  repos_url: '/repos',
  events_url: '/events{/privacy}',
  received_events_url: '/received_events',
};

export function userJson(site: Site, a: Account): Record<string, unknown> {
  const id = numericId(`user:${a.login.toLowerCase()}`);
  const url = `${site.api}/users/${encodeURIComponent(a.login)}`;
  const app = /^(.+)\[bot\]$/.exec(a.login)?.[1];
  return {
    login: a.login,
    id,
    node_id: nodeId(a.type === 'Bot' ? 'BOT' : a.type === 'Organization' ? 'O' : 'U', a.login),
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: '',
    url,
    html_url: app ? `${WEB}/apps/${app}` : `${WEB}/${a.login}`,
    ...links(url, USER_LINKS),
    type: a.type,
    site_admin: false,
  };
}

/** The repository's owner: the organisations the double seeds are organisations. */
export function ownerAccount(owner: string): Account {
  return { login: owner, type: 'Organization' };
}

export function links(base: string, table: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(table).map(([key, suffix]) => [key, `${base}${suffix}`]));
}

/** GitHub's error body (basic-error); 422s are validation errors, which add `errors`. */
export function errorJson(status: number, message: string, errors?: unknown[]): Record<string, unknown> {
  return { message, ...(errors ? { errors } : {}), documentation_url: DOCS, status: String(status) };
}

/** The web address of a repository (`https://github.com/acme/infra`). */
export function repoWeb(r: Pick<RepoState, 'owner' | 'name'>): string {
  return `${WEB}/${r.owner}/${r.name}`;
}

/** The API address of a repository. */
export function repoApi(site: Site, r: Pick<RepoState, 'owner' | 'name'>): string {
  return `${site.api}/repos/${r.owner}/${r.name}`;
}
