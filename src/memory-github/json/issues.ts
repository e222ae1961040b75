// Issues, their comments, labels and reactions as GitHub's REST API shows them (issue, issue-comment,
// label, reaction). A pull request seen through the issues API is an issue with a `pull_request` key.
import type { Comment, Issue, Person, Pull, RepoState } from '../state.js';
import { nodeId, numericId, repoApi, repoWeb, type Site, timestamp, userJson } from './base.js';

export interface Label {
  name: string;
  color: string;
  description?: string;
}

export function labelJson(site: Site, r: RepoState, label: Label): Record<string, unknown> {
  const key = `${r.owner}/${r.name}#${label.name}`.toLowerCase();
  return {
    id: numericId(`label:${key}`),
    node_id: nodeId('LA', key),
    url: `${repoApi(site, r)}/labels/${encodeURIComponent(label.name)}`,
    name: label.name,
    // GitHub's description of a pull request's labels does not allow null here, an issue's does.
    description: label.description ?? '',
    color: label.color,
    default: false,
  };
}

/** The labels an issue or PR carries, by name, as label objects. */
export function labelsJson(site: Site, r: RepoState, names: string[]): Record<string, unknown>[] {
  return names.map((name) => labelJson(site, r, r.labels.get(name) ?? { name, color: 'ededed' }));
}

/** How the author relates to the repository (GitHub's author_association). */
export function association(r: RepoState, who: Person): string {
  if (who.login.toLowerCase() === r.owner.toLowerCase()) return 'OWNER';
  return r.collaborators.has(who.login) ? 'COLLABORATOR' : 'NONE';
}

export function commentCount(r: RepoState, n: number): number {
  let count = 0;
  for (const c of r.comments.values()) if (c.issueNumber === n) count++;
  return count;
}

type IssueLike = Pick<Issue, 'number' | 'nodeId' | 'title' | 'body' | 'state' | 'labels' | 'user'> & {
  createdAt: string;
  updatedAt: string;
  closedAt?: string;
};

export function issueJson(site: Site, r: RepoState, i: IssueLike, web = 'issues'): Record<string, unknown> {
  const url = `${repoApi(site, r)}/issues/${i.number}`;
  return {
    id: numericId(`issue:${i.nodeId}`),
    node_id: i.nodeId,
    url,
    repository_url: repoApi(site, r),
    labels_url: `${url}/labels{/name}`,
    comments_url: `${url}/comments`,
    events_url: `${url}/events`,
    html_url: `${repoWeb(r)}/${web}/${i.number}`,
    number: i.number,
    state: i.state,
    state_reason: i.state === 'closed' ? 'completed' : null,
    title: i.title,
    body: i.body,
    user: userJson(site, i.user),
    labels: labelsJson(site, r, i.labels),
    assignee: null,
    assignees: [],
    milestone: null,
    locked: false,
    active_lock_reason: null,
    comments: commentCount(r, i.number),
    closed_at: i.state === 'closed' ? timestamp(i.closedAt ?? i.updatedAt) : null,
    created_at: timestamp(i.createdAt),
    updated_at: timestamp(i.updatedAt),
    author_association: association(r, i.user),
  };
}

/** A pull request as the issues API shows it: an issue with a `pull_request` key. */
export function pullAsIssueJson(site: Site, r: RepoState, p: Pull): Record<string, unknown> {
  const updatedAt = pullUpdatedAt(p);
  const issue = issueJson(site, r, { ...p, updatedAt }, 'pull');
  const web = `${repoWeb(r)}/pull/${p.number}`;
  return {
    ...issue,
    state_reason: null,
    pull_request: {
      url: `${repoApi(site, r)}/pulls/${p.number}`,
      html_url: web,
      diff_url: `${web}.diff`,
      patch_url: `${web}.patch`,
      merged_at: timestamp(p.mergedAt),
    },
  };
}

/** The last time a pull request changed state (GitHub's updated_at moves with every change). */
export function pullUpdatedAt(p: Pull): string {
  return (
    [p.createdAt, p.closedAt, p.mergedAt]
      .filter((t): t is string => t !== undefined)
      .sort()
      .at(-1) ?? ''
  );
}

export function commentJson(site: Site, r: RepoState, c: Comment): Record<string, unknown> {
  const isPull = r.pulls.has(c.issueNumber);
  return {
    id: c.id,
    node_id: nodeId('IC', `${r.owner}/${r.name}#${c.id}`),
    url: `${repoApi(site, r)}/issues/comments/${c.id}`,
    html_url: `${repoWeb(r)}/${isPull ? 'pull' : 'issues'}/${c.issueNumber}#issuecomment-${c.id}`,
    issue_url: `${repoApi(site, r)}/issues/${c.issueNumber}`,
    body: c.body,
    user: userJson(site, c.user),
    created_at: timestamp(c.createdAt),
    updated_at: timestamp(c.updatedAt),
    author_association: association(r, c.user),
  };
}

export function reactionJson(site: Site, reaction: Comment['reactions'][number]): Record<string, unknown> {
  return {
    id: reaction.id,
    node_id: nodeId('REA', String(reaction.id)),
    user: userJson(site, reaction.user),
    content: reaction.content,
    created_at: timestamp(reaction.createdAt),
  };
}
