// mergePr / closePr. Merge directly when the PR is clean, hand over to GitHub auto-merge when it is
// blocked on required checks, and report (never retry) a refusal by rulesets, a merge queue or a head
// that moved (DESIGN §7).
import { GitHubError, type PortContext, toGitHubError } from './client.js';
import { postComment } from './comments.js';

export type MergeMethod = 'merge' | 'squash' | 'rebase';
export interface MergeResult {
  outcome: 'merged' | 'auto-merge' | 'refused';
  message: string;
}

interface PullJson {
  number: number;
  node_id: string;
  state: string;
  merged: boolean;
  mergeable_state?: string;
  head: { ref: string; sha: string };
}

export const AUTO_MERGE_MUTATION = `mutation FailoverAutoMerge($pullRequestId: ID!, $mergeMethod: PullRequestMergeMethod!) {
  enablePullRequestAutoMerge(input: { pullRequestId: $pullRequestId, mergeMethod: $mergeMethod }) {
    pullRequest { number }
  }
}`;

export async function mergePr(
  ctx: PortContext,
  number: number,
  method: MergeMethod = 'squash',
): Promise<MergeResult> {
  const pr = (
    await ctx.gh.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', {
      owner: ctx.owner,
      repo: ctx.repo,
      pull_number: number,
    })
  ).data as PullJson;
  if (pr.merged) return { outcome: 'merged', message: `#${number} is already merged` };
  if (pr.state !== 'open') return { outcome: 'refused', message: `#${number} is closed` };
  if (pr.mergeable_state === 'dirty')
    return { outcome: 'refused', message: `#${number} has conflicts with its base branch` };
  if (pr.mergeable_state === 'blocked') return enableAutoMerge(ctx, pr, method);
  try {
    // `sha` makes the merge a compare-and-swap: a human push after our read answers 409.
    await ctx.gh.request('PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge', {
      owner: ctx.owner,
      repo: ctx.repo,
      pull_number: number,
      merge_method: method,
      sha: pr.head.sha,
    });
    return { outcome: 'merged', message: `merged #${number} (${method})` };
  } catch (thrown: unknown) {
    const err = toGitHubError(thrown);
    if (err.status === 405 || err.status === 409)
      return { outcome: 'refused', message: `GitHub refused to merge #${number}: ${err.message}` };
    throw err;
  }
}

async function enableAutoMerge(ctx: PortContext, pr: PullJson, method: MergeMethod): Promise<MergeResult> {
  try {
    await ctx.gh.graphql(AUTO_MERGE_MUTATION, {
      pullRequestId: pr.node_id,
      mergeMethod: method.toUpperCase(),
    });
    return {
      outcome: 'auto-merge',
      message: `#${pr.number} is waiting for required checks; GitHub will merge it (${method}) when they pass`,
    };
  } catch (thrown: unknown) {
    const err = toGitHubError(thrown);
    // Auto-merge disabled for the repo, or a rule forbids it: a report for humans, not a retry.
    if (err.status === 200 || (err.status >= 400 && err.status < 500)) {
      return {
        outcome: 'refused',
        message: `#${pr.number} is blocked and auto-merge could not be enabled: ${err.message}`,
      };
    }
    throw err;
  }
}

/** Comments why, closes the PR and deletes its branch (an already-deleted branch is fine). */
export async function closePr(ctx: PortContext, number: number, comment: string): Promise<void> {
  if (comment) await postComment(ctx, number, comment);
  const res = await ctx.gh.request('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', {
    owner: ctx.owner,
    repo: ctx.repo,
    pull_number: number,
    state: 'closed',
  });
  const branch = (res.data as PullJson).head?.ref;
  if (!branch) return;
  try {
    await ctx.gh.request('DELETE /repos/{owner}/{repo}/git/refs/{ref}', {
      owner: ctx.owner,
      repo: ctx.repo,
      ref: `heads/${branch}`,
    });
  } catch (thrown: unknown) {
    if (!(thrown instanceof GitHubError && (thrown.status === 404 || thrown.status === 422))) throw thrown;
  }
}
