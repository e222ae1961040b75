// Small verbs on issues and PRs: reactions, labels, body updates, the PR behind a commit.
import { fitBody } from '../core/render/index.js';
import { GitHubError, type PortContext } from './client.js';
import { judgeMarker, type MarkerVerdict, type PrOrigin, sealBody } from './trust.js';

export type ReactionContent = '+1' | '-1' | 'laugh' | 'confused' | 'heart' | 'hooray' | 'rocket' | 'eyes';

/** Colours for the labels the product creates (DESIGN §7), so they look alike in every repo. */
const LABEL_COLOURS: Record<string, string> = {
  failover: 'b60205',
  'failover:auto': 'd93f0b',
  'failover:manual': 'fbca04',
  'failover:drill': '0e8a16',
  'failover:rollback': '5319e7',
  'failover:status': '1d76db',
};

export async function react(ctx: PortContext, commentId: number, content: ReactionContent): Promise<void> {
  await ctx.gh.request('POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions', {
    owner: ctx.owner,
    repo: ctx.repo,
    comment_id: commentId,
    content,
  });
}

/** Adds labels, creating missing ones with the product's colours first. */
export async function addLabels(
  ctx: PortContext,
  number: number,
  labels: string[],
  known: Set<string>,
): Promise<void> {
  if (labels.length === 0) return;
  await Promise.all(labels.map((name) => ensureLabel(ctx, name, known)));
  await ctx.gh.request('POST /repos/{owner}/{repo}/issues/{issue_number}/labels', {
    owner: ctx.owner,
    repo: ctx.repo,
    issue_number: number,
    labels,
  });
}

/**
 * Creates a label with the product's colour unless this port already did (a 422 means it exists).
 * `known` remembers labels created by this port so repeated calls skip the request.
 */
export async function ensureLabel(ctx: PortContext, name: string, known: Set<string>): Promise<void> {
  if (known.has(name)) return;
  try {
    await ctx.gh.request('POST /repos/{owner}/{repo}/labels', {
      owner: ctx.owner,
      repo: ctx.repo,
      name,
      color: LABEL_COLOURS[name] ?? 'ededed',
    });
  } catch (thrown: unknown) {
    if (!(thrown instanceof GitHubError && thrown.status === 422)) throw thrown;
  }
  known.add(name);
}

export async function updatePrBody(ctx: PortContext, number: number, body: string): Promise<void> {
  await ctx.gh.request('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', {
    owner: ctx.owner,
    repo: ctx.repo,
    pull_number: number,
    body: fitBody(sealBody(ctx.trust, `${ctx.owner}/${ctx.repo}`, ctx.redact(body))),
  });
}

/** What the port says about the PR behind a commit; the marker only when the PR is trusted. */
export interface CommitPr {
  number: number;
  body: string;
  url: string;
  /** The commit is this PR's merge commit (not a commit on its branch). */
  mergedAs: boolean;
  verdict: MarkerVerdict;
}

interface PullJson {
  number: number;
  body: string | null;
  html_url: string;
  merged_at?: string | null;
  merge_commit_sha?: string | null;
  user?: { login: string; type?: string } | null;
  head?: { repo?: { full_name?: string } | null } | null;
}

/** The PR that produced (merge commit) or carries (head) a commit; merged ones first. */
export async function findPrForCommit(ctx: PortContext, sha: string): Promise<CommitPr | undefined> {
  const res = await ctx.gh.request('GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls', {
    owner: ctx.owner,
    repo: ctx.repo,
    commit_sha: sha,
  });
  const pulls = (res.data ?? []) as PullJson[];
  const pr =
    pulls.find((p) => p.merged_at && p.merge_commit_sha === sha) ??
    pulls.find((p) => p.merged_at) ??
    pulls[0];
  if (!pr) return undefined;
  const repo = `${ctx.owner}/${ctx.repo}`;
  const origin: PrOrigin = {
    author: pr.user ? { login: pr.user.login, isBot: pr.user.type === 'Bot' } : null,
    crossRepository: (pr.head?.repo?.full_name ?? '').toLowerCase() !== repo.toLowerCase(),
  };
  const verdict = judgeMarker(ctx.trust, repo, pr.body, origin);
  if (!verdict.ok && verdict.hasMarker) ctx.reportUntrusted({ repo, pr: pr.number, why: verdict.why });
  return {
    number: pr.number,
    body: pr.body ?? '',
    url: pr.html_url,
    mergedAs: Boolean(pr.merged_at) && pr.merge_commit_sha === sha,
    verdict,
  };
}
