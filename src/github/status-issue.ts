// The repo's status issue: one plain issue labelled `failover:status`, found by its label and edited in
// place. Only the GitHub calls live here; what it says is rendered in src/core/render/status-issue.ts and
// when it is written is decided in src/service/status-issue.ts.
import { fitBody } from '../core/render/index.js';
import type { PortContext } from './client.js';
import { ensureLabel } from './issues.js';

export const STATUS_LABEL = 'failover:status';

export interface StatusIssue {
  number: number;
  url: string;
  body: string;
}

interface IssueJson {
  number: number;
  html_url: string;
  body?: string | null;
  pull_request?: unknown;
}

/** The open status issue (the oldest, should two replicas ever have opened one each), or undefined. */
export async function findStatusIssue(ctx: PortContext): Promise<StatusIssue | undefined> {
  const res = await ctx.gh.request('GET /repos/{owner}/{repo}/issues', {
    owner: ctx.owner,
    repo: ctx.repo,
    labels: STATUS_LABEL,
    state: 'open',
    per_page: 20,
  });
  // The issues API lists pull requests too; a PR someone labelled is not the status issue.
  const issues = ((res.data ?? []) as IssueJson[]).filter((i) => i.pull_request === undefined);
  const oldest = issues.sort((a, b) => a.number - b.number)[0];
  return oldest && { number: oldest.number, url: oldest.html_url, body: oldest.body ?? '' };
}

export async function createStatusIssue(
  ctx: PortContext,
  title: string,
  body: string,
  known: Set<string>,
): Promise<StatusIssue> {
  await ensureLabel(ctx, STATUS_LABEL, known);
  const res = await ctx.gh.request('POST /repos/{owner}/{repo}/issues', {
    owner: ctx.owner,
    repo: ctx.repo,
    title,
    body: fitBody(body),
    labels: [STATUS_LABEL],
  });
  const issue = res.data as IssueJson;
  return { number: issue.number, url: issue.html_url, body: issue.body ?? '' };
}

export async function updateIssueBody(ctx: PortContext, number: number, body: string): Promise<void> {
  await ctx.gh.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
    owner: ctx.owner,
    repo: ctx.repo,
    issue_number: number,
    body: fitBody(body),
  });
}

/** Closes a duplicate status issue (two replicas opened one each at the same moment). */
export async function closeIssue(ctx: PortContext, number: number, comment: string): Promise<void> {
  await ctx.gh.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
    owner: ctx.owner,
    repo: ctx.repo,
    issue_number: number,
    body: comment,
  });
  await ctx.gh.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
    owner: ctx.owner,
    repo: ctx.repo,
    issue_number: number,
    state: 'closed',
    state_reason: 'not_planned',
  });
}
