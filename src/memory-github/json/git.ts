// Files, refs and access answers as GitHub's REST API shows them (content-file, git-ref,
// repository-collaborator-permission, team-membership).
import { blobSha } from '../git-objects.js';
import type { Person, RepoState } from '../state.js';
import { nodeId, repoApi, repoWeb, type Site, userJson } from './base.js';

export function contentFileJson(site: Site, r: RepoState, path: string, ref: string, text: string) {
  const sha = blobSha(text);
  const self = `${repoApi(site, r)}/contents/${path}?ref=${encodeURIComponent(ref)}`;
  const git = `${repoApi(site, r)}/git/blobs/${sha}`;
  const html = `${repoWeb(r)}/blob/${ref}/${path}`;
  return {
    type: 'file',
    encoding: 'base64',
    size: Buffer.byteLength(text, 'utf8'),
    name: path.split('/').at(-1) ?? path,
    path,
    content: Buffer.from(text).toString('base64'),
    sha,
    url: self,
    git_url: git,
    html_url: html,
    download_url: `https://raw.githubusercontent.com/${r.owner}/${r.name}/${ref}/${path}`,
    _links: { self, git, html },
  };
}

export function gitRefJson(site: Site, r: RepoState, ref: string, sha: string) {
  return {
    ref,
    node_id: nodeId('REF', `${r.owner}/${r.name}:${ref}`),
    url: `${repoApi(site, r)}/git/${ref}`,
    object: { type: 'commit', sha, url: `${repoApi(site, r)}/git/commits/${sha}` },
  };
}

export function collaboratorPermissionJson(site: Site, login: string, permission: string, role: string) {
  const person: Person = { login, type: 'User' };
  return {
    permission,
    role_name: role,
    user: { ...userJson(site, person), role_name: role, permissions: permissionFlags(permission) },
  };
}

function permissionFlags(permission: string) {
  const rank = ['none', 'read', 'write', 'admin'].indexOf(permission);
  return { pull: rank >= 1, triage: rank >= 1, push: rank >= 2, maintain: rank >= 3, admin: rank >= 3 };
}

export function teamMembershipJson(site: Site, org: string, slug: string, login: string) {
  return {
    url: `${site.api}/orgs/${org}/teams/${slug}/memberships/${encodeURIComponent(login)}`,
    role: 'member',
    state: 'active',
  };
}
