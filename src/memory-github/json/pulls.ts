// A pull request as GitHub's REST API shows it (pull-request; it also satisfies pull-request-simple,
// which the list routes answer with).
import type { DoubleState, Pull, RepoState } from '../state.js';
import { numericId, ownerAccount, repoApi, repoWeb, type Site, timestamp, userJson } from './base.js';
import { association, commentCount, labelsJson, pullUpdatedAt } from './issues.js';
import { forkJson, repoJson } from './repo.js';

export function pullJson(site: Site, r: RepoState, p: Pull): Record<string, unknown> {
  const s = site.state;
  const headSha = s.pullHeadSha(r, p);
  return {
    ...pullLinks(site, r, p, headSha),
    id: numericId(`pull:${p.nodeId}`),
    node_id: p.nodeId,
    number: p.number,
    state: p.state,
    locked: false,
    title: p.title,
    user: userJson(site, p.user),
    body: p.body,
    labels: labelsJson(site, r, p.labels),
    milestone: null,
    active_lock_reason: null,
    created_at: timestamp(p.createdAt),
    updated_at: timestamp(pullUpdatedAt(p)),
    closed_at: timestamp(p.closedAt ?? p.mergedAt),
    merged_at: timestamp(p.mergedAt),
    merge_commit_sha: p.mergeCommitSha ?? null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: branchJson(site, r, p.head, headSha, p.headRepo),
    base: branchJson(site, r, p.base, s.headSha(r, p.base) ?? ''),
    author_association: association(r, p.user),
    auto_merge: autoMergeJson(site, p),
    draft: false,
    ...mergeFields(site, r, p),
    ...changeCounts(s, r, p, headSha),
  };
}

function pullLinks(site: Site, r: RepoState, p: Pull, headSha: string) {
  const api = repoApi(site, r);
  const url = `${api}/pulls/${p.number}`;
  const web = `${repoWeb(r)}/pull/${p.number}`;
  const href = (h: string) => ({ href: h });
  const urls = {
    url,
    html_url: web,
    diff_url: `${web}.diff`,
    patch_url: `${web}.patch`,
    issue_url: `${api}/issues/${p.number}`,
    commits_url: `${url}/commits`,
    review_comments_url: `${url}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: `${api}/issues/${p.number}/comments`,
    statuses_url: `${api}/statuses/${headSha}`,
  };
  const _links = {
    self: href(url),
    html: href(web),
    issue: href(urls.issue_url),
    comments: href(urls.comments_url),
    review_comments: href(urls.review_comments_url),
    review_comment: href(urls.review_comment_url),
    commits: href(urls.commits_url),
    statuses: href(urls.statuses_url),
  };
  return { ...urls, _links };
}

/** `head` or `base`: the branch, its commit and the repository it lives in (a fork for a fork's PR). */
function branchJson(site: Site, r: RepoState, ref: string, sha: string, fork?: string) {
  const owner = fork?.split('/')[0] ?? r.owner;
  return {
    label: `${owner}:${ref}`,
    ref,
    sha,
    user: userJson(site, ownerAccount(owner)),
    repo: fork ? forkJson(site, fork, r) : repoJson(site, r),
  };
}

function autoMergeJson(site: Site, p: Pull) {
  if (!p.autoMerge) return null;
  return {
    enabled_by: userJson(site, p.user),
    merge_method: p.autoMerge.mergeMethod.toLowerCase(),
    commit_title: `${p.title} (#${p.number})`,
    commit_message: '',
  };
}

function mergeFields(site: Site, r: RepoState, p: Pull) {
  return {
    merged: p.merged,
    mergeable: p.state === 'open' ? !r.flags.conflicting : null,
    rebaseable: p.state === 'open' ? !r.flags.conflicting : null,
    mergeable_state: site.state.mergeableState(r, p),
    merged_by: p.merged ? userJson(site, { login: 'gitops-failover[bot]', type: 'Bot' }) : null,
    maintainer_can_modify: false,
  };
}

/** Commits on the head that the base lacks, the files and lines they change, and the conversation. */
function changeCounts(s: DoubleState, r: RepoState, p: Pull, headSha: string) {
  const merged = r.commits.get(p.mergeCommitSha ?? '');
  const baseSha = (p.merged ? merged?.parents[0] : s.headSha(r, p.base)) ?? '';
  const onBase = ancestors(r, baseSha);
  const commits = [...ancestors(r, headSha)].filter((sha) => !onBase.has(sha)).length;
  const diff = treeDiff(r.commits.get(baseSha)?.tree, r.commits.get(headSha)?.tree);
  return { commits, ...diff, comments: commentCount(r, p.number), review_comments: 0 };
}

/** Changed files, and lines only one side has (a line-set difference, enough for the counts). */
function treeDiff(before = new Map<string, string>(), after = new Map<string, string>()) {
  let [additions, deletions, changed] = [0, 0, 0];
  for (const path of new Set([...before.keys(), ...after.keys()])) {
    if (before.get(path) === after.get(path)) continue;
    const [a, b] = [lineSet(before.get(path)), lineSet(after.get(path))];
    changed++;
    for (const line of a) if (!b.has(line)) deletions++;
    for (const line of b) if (!a.has(line)) additions++;
  }
  return { additions, deletions, changed_files: changed };
}

function lineSet(text: string | undefined): Set<string> {
  return new Set(text === undefined ? [] : text.split('\n').filter((l) => l !== ''));
}

function ancestors(r: RepoState, sha: string): Set<string> {
  const seen = new Set<string>();
  const todo = [sha];
  for (let at = todo.pop(); at !== undefined; at = todo.pop()) {
    const c = r.commits.get(at);
    if (!c || seen.has(at)) continue;
    seen.add(at);
    todo.push(...c.parents);
  }
  return seen;
}
