// App-level REST routes: the app itself, its installations and their tokens, the repositories an
// installation token reaches, and team memberships (ChatOps `teams`).
import {
  installationJson,
  installationsOf,
  installationTokenJson,
  integrationJson,
  OUR_APP,
} from '../json/app.js';
import { teamMembershipJson } from '../json/git.js';
import { repoJson } from '../json/repo.js';
import { type AppRoute, type Call, notFound, ok, type Reply } from './common.js';

/** The token the double mints for the app's installation (Probot asks for it with the app's JWT). */
export const INSTALLATION_TOKEN = 'ghs_double_installation_token';

export const appRoutes: AppRoute[] = [
  ['POST', '/app/installations/{installation_id}/access_tokens', undefined, mintToken],
  [
    'GET',
    '/app/installations',
    undefined,
    (c) => ok(installationsOf(c.s).map(({ id, owner }) => installationJson(c.site, id, owner))),
  ],
  ['GET', '/installation/repositories', undefined, installationRepositories],
  ['GET', '/app', undefined, (c) => ok(integrationJson(c.site, OUR_APP))],
  ['GET', '/orgs/{org}/teams/{team_slug}/memberships/{username}', 'members', teamMembership],
];

function mintToken(c: Call): Reply {
  const id = Number(c.params[0]);
  if (!installationsOf(c.s).some((i) => i.id === id)) return notFound();
  return ok(installationTokenJson(c.s, c.s.issuedTokens.mint(INSTALLATION_TOKEN, id)), 201);
}

/** The repositories of the installation whose token made the request (all, for other tokens). */
function installationRepositories(c: Call): Reply {
  const id = Number(/_(\d+)$/.exec(c.req.token ?? '')?.[1] ?? Number.NaN);
  const repos = [...c.s.repos.values()].filter((r) => Number.isNaN(id) || r.installationId === id);
  return ok({
    total_count: repos.length,
    repository_selection: 'all',
    repositories: repos.map((r) => repoJson(c.site, r)),
  });
}

function teamMembership(c: Call): Reply {
  const [org = '', slug = '', login = ''] = c.params;
  const members = c.s.teams.get(`${org}/${slug}`.toLowerCase());
  return members?.has(login) ? ok(teamMembershipJson(c.site, org, slug, login)) : notFound();
}
