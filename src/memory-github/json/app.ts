// The GitHub App and its installations as GitHub's REST API shows them (integration, installation).
import type { DoubleState } from '../state.js';
import { nodeId, ownerAccount, type Site, timestamp, userJson, WEB } from './base.js';

/** The app a check run or comment is made by: ours when it uses its installation token. */
export interface AppIdentity {
  id: number;
  slug: string;
  name: string;
  owner: string;
}

export const OUR_APP: AppIdentity = {
  id: 1,
  slug: 'gitops-failover',
  name: 'gitops-failover',
  owner: 'acme',
};
export const ACTIONS_APP: AppIdentity = {
  id: 15368,
  slug: 'github-actions',
  name: 'GitHub Actions',
  owner: 'github',
};

/** The events the app subscribes to (app.yml). */
const EVENTS = ['check_run', 'issue_comment', 'pull_request', 'push'];
const APP_CREATED = '2026-01-01T00:00:00Z';

export function integrationJson(site: Site, app: AppIdentity): Record<string, unknown> {
  return {
    id: app.id,
    slug: app.slug,
    node_id: nodeId('A', app.slug),
    client_id: `Iv1.${app.slug.replace(/-/g, '').slice(0, 16)}`,
    owner: userJson(site, ownerAccount(app.owner)),
    name: app.name,
    description: null,
    external_url: `${WEB}/${app.owner}`,
    html_url: `${WEB}/apps/${app.slug}`,
    created_at: APP_CREATED,
    updated_at: APP_CREATED,
    permissions: app === OUR_APP ? { ...site.state.appPermissions } : {},
    events: app === OUR_APP ? EVENTS : [],
  };
}

/**
 * The account an installation belongs to. GET /app/installations describes it as a user and an
 * enterprise at once (allOf), so it carries the enterprise's fields too; an organisation has them all
 * but `slug`, which is its login here.
 */
function installationAccount(site: Site, owner: string): Record<string, unknown> {
  return {
    ...userJson(site, ownerAccount(owner)),
    name: owner,
    slug: owner.toLowerCase(),
    created_at: APP_CREATED,
    updated_at: APP_CREATED,
  };
}

export function installationJson(site: Site, id: number, owner: string): Record<string, unknown> {
  const account = installationAccount(site, owner);
  return {
    id,
    account,
    repository_selection: 'all',
    access_tokens_url: `${site.api}/app/installations/${id}/access_tokens`,
    repositories_url: `${site.api}/installation/repositories`,
    html_url: `${WEB}/organizations/${owner}/settings/installations/${id}`,
    app_id: OUR_APP.id,
    app_slug: OUR_APP.slug,
    target_id: account.id,
    target_type: 'Organization',
    permissions: { ...site.state.appPermissions },
    events: EVENTS,
    created_at: APP_CREATED,
    updated_at: APP_CREATED,
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    suspended_by: null,
    suspended_at: null,
  };
}

/** The installations of the app: one per owner of the repositories the double holds. */
export function installationsOf(s: DoubleState): { id: number; owner: string }[] {
  const byId = new Map<number, string>();
  for (const r of s.repos.values()) if (!byId.has(r.installationId)) byId.set(r.installationId, r.owner);
  return [...byId].sort((a, b) => a[0] - b[0]).map(([id, owner]) => ({ id, owner }));
}

export function installationTokenJson(s: DoubleState, token: string): Record<string, unknown> {
  return {
    token,
    expires_at: timestamp(new Date(Date.now() + 3_600_000).toISOString()),
    permissions: { ...s.appPermissions },
    repository_selection: 'all',
  };
}
