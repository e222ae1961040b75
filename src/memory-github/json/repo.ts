// A repository as GitHub's REST API shows it (full-repository, which also satisfies `repository`).
import type { RepoState } from '../state.js';
import {
  links,
  nodeId,
  numericId,
  ownerAccount,
  repoApi,
  repoWeb,
  type Site,
  timestamp,
  userJson,
} from './base.js';

const REPO_LINKS: Record<string, string> = {
  forks_url: '/forks',
  keys_url: '/keys{/key_id}',
  collaborators_url: '/collaborators{/collaborator}',
  teams_url: '/teams',
  hooks_url: '/hooks',
  issue_events_url: '/issues/events{/number}',
  events_url: '/events',
  assignees_url: '/assignees{/user}',
  branches_url: '/branches{/branch}',
  tags_url: '/tags',
  blobs_url: '/git/blobs{/sha}',
  git_tags_url: '/git/tags{/sha}',
  git_refs_url: '/git/refs{/sha}',
  trees_url: '/git/trees{/sha}',
  statuses_url: '/statuses/{sha}',
  languages_url: '/languages',
  stargazers_url: '/stargazers',
  contributors_url: '/contributors',
  subscribers_url: '/subscribers',
  subscription_url: '/subscription',
  commits_url: '/commits{/sha}',
  git_commits_url: '/git/commits{/sha}',
  comments_url: '/comments{/number}',
  issue_comment_url: '/issues/comments{/number}',
  contents_url: '/contents/{+path}',
  compare_url: '/compare/{base}...{head}',
  merges_url: '/merges',
  archive_url: '/{archive_format}{/ref}',
  downloads_url: '/downloads',
  issues_url: '/issues{/number}',
  pulls_url: '/pulls{/number}',
  milestones_url: '/milestones{/number}',
  notifications_url: '/notifications{?since,all,participating}',
  labels_url: '/labels{/name}',
  releases_url: '/releases{/id}',
  deployments_url: '/deployments',
};

/** What a repository answer is made of; a fork the double only knows by name has defaults. */
interface RepoFacts {
  owner: string;
  name: string;
  defaultBranch: string;
  fork: boolean;
  createdAt?: string;
  pushedAt?: string;
  openIssues: number;
  allowAutoMerge: boolean;
}

export function repoJson(site: Site, r: RepoState): Record<string, unknown> {
  const commits = [...r.commits.values()];
  const open = [...r.issues.values(), ...r.pulls.values()].filter((i) => i.state === 'open').length;
  return repoFactsJson(site, {
    owner: r.owner,
    name: r.name,
    defaultBranch: r.defaultBranch,
    fork: false,
    createdAt: commits[0]?.committedAt,
    pushedAt: commits.at(-1)?.committedAt,
    openIssues: open,
    allowAutoMerge: r.flags.allowAutoMerge === true,
  });
}

/** The fork a pull request's head lives in (`owner/name`), known to the double by name only. */
export function forkJson(site: Site, fullName: string, like: RepoState): Record<string, unknown> {
  const [owner = '', name = ''] = fullName.split('/');
  const base = repoJson(site, like);
  const facts = { owner, name, defaultBranch: like.defaultBranch, fork: true, openIssues: 0 };
  return repoFactsJson(site, {
    ...facts,
    createdAt: base.created_at as string,
    pushedAt: base.pushed_at as string,
    allowAutoMerge: false,
  });
}

function repoFactsJson(site: Site, f: RepoFacts): Record<string, unknown> {
  const full = `${f.owner}/${f.name}`;
  const url = repoApi(site, f);
  const web = repoWeb(f);
  const created = timestamp(f.createdAt ?? '2026-01-01T00:00:00Z');
  return {
    id: numericId(`repo:${full.toLowerCase()}`),
    node_id: nodeId('R', full),
    name: f.name,
    full_name: full,
    private: true,
    owner: userJson(site, ownerAccount(f.owner)),
    html_url: web,
    description: null,
    fork: f.fork,
    url,
    ...links(url, REPO_LINKS),
    created_at: created,
    updated_at: timestamp(f.pushedAt) ?? created,
    pushed_at: timestamp(f.pushedAt) ?? created,
    git_url: `git://github.com/${full}.git`,
    ssh_url: `git@github.com:${full}.git`,
    clone_url: `${web}.git`,
    svn_url: web,
    homepage: null,
    mirror_url: null,
    language: 'HCL',
    license: null,
    ...repoCounts(f.openIssues),
    ...repoSettings(f),
  };
}

function repoCounts(openIssues: number) {
  return {
    size: 0,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    forks_count: 0,
    forks: 0,
    open_issues_count: openIssues,
    open_issues: openIssues,
    network_count: 0,
    subscribers_count: 0,
  };
}

function repoSettings(f: RepoFacts) {
  return {
    visibility: 'private',
    default_branch: f.defaultBranch,
    has_issues: true,
    has_projects: false,
    has_downloads: true,
    has_wiki: false,
    has_pages: false,
    has_discussions: false,
    archived: false,
    disabled: false,
    is_template: false,
    allow_auto_merge: f.allowAutoMerge,
    allow_merge_commit: true,
    allow_squash_merge: true,
    allow_rebase_merge: true,
    delete_branch_on_merge: false,
  };
}
