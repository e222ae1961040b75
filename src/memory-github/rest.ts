// The REST subset of GitHub the product uses (the port, the Action, Probot's installation auth, the
// bot's warm-up), with GitHub's status codes and GitHub's answer shapes (json/). Each route is declared
// with GitHub's own path template, so the contract test can look it up in GitHub's OpenAPI description.
import { errorJson } from './json/base.js';
import { appRoutes } from './routes/app.js';
import {
  type AppRoute,
  type Needs,
  notFound,
  type Reply,
  type RepoRoute,
  type RestRequest,
} from './routes/common.js';
import { gitRoutes } from './routes/git.js';
import { issueRoutes } from './routes/issues.js';
import { pullRoutes } from './routes/pulls.js';
import type { DoubleState } from './state.js';

export { INSTALLATION_TOKEN } from './routes/app.js';
export type { Reply, RestRequest } from './routes/common.js';
export { resolveRef } from './routes/git.js';

/** A route the in-memory GitHub answers: method and GitHub's path template. */
export interface RestRoute {
  method: string;
  template: string;
}

interface Compiled {
  route: RestRoute;
  re: RegExp;
  needs: Needs;
  /** Repository routes get the repository the path names (`/repos/{owner}/{repo}/...`). */
  repo?: RepoRoute[3];
  app?: AppRoute[3];
}

/** `/repos/{owner}/{repo}/contents/{path}` → a regex capturing each parameter (path and ref span slashes). */
function templateRegex(template: string): RegExp {
  const pattern = template
    .split(/(\{\w+\})/)
    .map((part) => {
      if (part === '{path}' || part === '{ref}') return '(.+)';
      if (/^\{\w+\}$/.test(part)) return '([^/]+)';
      return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${pattern}$`);
}

const compile = ([method, template, needs]: AppRoute | RepoRoute) => ({
  route: { method, template },
  re: templateRegex(template),
  needs,
});

const table: Compiled[] = [
  ...appRoutes.map((r): Compiled => ({ ...compile(r), app: r[3] })),
  ...[...pullRoutes, ...issueRoutes, ...gitRoutes].map((r): Compiled => ({ ...compile(r), repo: r[3] })),
];

/** Every route the in-memory GitHub answers (the contract test checks each against GitHub's description). */
export const REST_ROUTES: readonly RestRoute[] = table.map((c) => c.route);

/** The route a request matches and its decoded path parameters; undefined when none does. */
export function matchRestRoute(
  method: string,
  path: string,
): { route: RestRoute; params: string[] } | undefined {
  const found = find(method, path);
  return found && { route: found.compiled.route, params: found.params };
}

function find(method: string, path: string): { compiled: Compiled; params: string[] } | undefined {
  for (const compiled of table) {
    const m = compiled.route.method === method ? compiled.re.exec(path) : null;
    if (m) return { compiled, params: m.slice(1).map((p) => decodeURIComponent(p)) };
  }
  return undefined;
}

/** Answers one REST request, or undefined when the in-memory GitHub does not implement the route. */
export function handleRest(s: DoubleState, req: RestRequest): Reply | undefined {
  const found = find(req.method, req.path);
  if (!found) return undefined;
  const { compiled, params } = found;
  const site = { api: req.baseUrl, state: s };
  if (compiled.app) return forbidden(s, req, compiled.needs) ?? compiled.app({ s, req, site, params });
  const [owner = '', name = '', ...rest] = params;
  const repo = s.repo(owner, name);
  if (!repo || !compiled.repo) return notFound();
  return forbidden(s, req, compiled.needs) ?? compiled.repo({ s, req, site, params: rest }, repo);
}

/** GitHub's answer when an installation lacks the permission a route needs. */
export const NOT_ACCESSIBLE = 'Resource not accessible by integration';

function forbidden(s: DoubleState, req: RestRequest, needs: Needs): Reply | undefined {
  if (!req.asApp || !needs) return undefined;
  const level = s.appPermissions[needs];
  const allowed = req.method === 'GET' ? level === 'read' || level === 'write' : level === 'write';
  return allowed ? undefined : { status: 403, body: errorJson(403, NOT_ACCESSIBLE) };
}

/** The route template a request matched, for the call log ("PUT /repos/:o/:r/pulls/:n/merge"). */
export function restRouteName(method: string, path: string): string {
  const generic = path
    .replace(/^\/repos\/[^/]+\/[^/]+/, '/repos/:o/:r')
    .replace(/\/git\/refs\/.+$/, '/git/refs/:ref')
    .replace(/\/contents\/.+$/, '/contents/:path')
    .replace(/\/[0-9a-f]{40}(?=\/|$)/g, '/:sha')
    .replace(/\/\d+(?=\/|$)/g, '/:n');
  return `${method} ${generic}`;
}
