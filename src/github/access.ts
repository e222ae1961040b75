// Who may run chatops: the sender's repository role and (optionally) team membership.
import type { Permission } from '../core/types.js';
import { GitHubError, type PortContext } from './client.js';

const ROLES: readonly Permission[] = ['read', 'triage', 'write', 'maintain', 'admin'];

/** The sender's role on the repo. Not a collaborator (404) means read: the weakest role, never an error. */
export async function getPermission(ctx: PortContext, login: string): Promise<Permission> {
  try {
    const res = await ctx.gh.request('GET /repos/{owner}/{repo}/collaborators/{username}/permission', {
      owner: ctx.owner,
      repo: ctx.repo,
      username: login,
    });
    const data = res.data as { role_name?: string; permission?: string };
    // role_name knows triage and maintain; the legacy `permission` folds them into read/write. Custom
    // roles have other names, so fall back to the legacy field for those.
    const role = ROLES.find((r) => r === data.role_name) ?? ROLES.find((r) => r === data.permission);
    return role ?? 'read';
  } catch (thrown: unknown) {
    if (thrown instanceof GitHubError && thrown.status === 404) return 'read';
    throw thrown;
  }
}

/** Active membership of `team` (`org/slug`, or a slug in the repo owner's org). */
export async function isTeamMember(ctx: PortContext, team: string, login: string): Promise<boolean> {
  const [org, slug] = team.includes('/') ? (team.split('/', 2) as [string, string]) : [ctx.owner, team];
  try {
    const res = await ctx.gh.request('GET /orgs/{org}/teams/{team_slug}/memberships/{username}', {
      org,
      team_slug: slug,
      username: login,
    });
    return (res.data as { state?: string }).state === 'active';
  } catch (thrown: unknown) {
    if (thrown instanceof GitHubError && thrown.status === 404) return false;
    if (thrown instanceof GitHubError && thrown.status === 403 && !thrown.retryable)
      throw new MissingPermissionError('Members', 'read', `team ${org}/${slug}`, thrown.message);
    throw thrown;
  }
}

/** GitHub answered 403 because the app's installation lacks a permission (not a rate limit). */
export class MissingPermissionError extends GitHubError {
  constructor(
    readonly permission: string,
    readonly level: 'read' | 'write',
    readonly what: string,
    githubMessage: string,
  ) {
    super(
      403,
      false,
      `the app cannot read ${what} (GitHub: ${githubMessage}): it needs the organization permission "${permission}: ${level}"; an organization owner grants it when accepting the app's new permissions (see docs/bot.md, permissions)`,
    );
  }
}
