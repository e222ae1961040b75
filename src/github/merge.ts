// mergePr / closePr. One GraphQL read says what GitHub thinks of the PR (merge state, merge queue, the
// repo's "Allow auto-merge"); then exactly one way to merge is taken, and a refusal is reported with what
// to change, never retried blindly:
// - a base branch with a merge queue: enqueuePullRequest (the queue merges it);
// - CLEAN or HAS_HOOKS: a direct merge (a 405 for required checks or reviews hands over to auto-merge);
// - anything else (UNKNOWN while GitHub computes it, BLOCKED, BEHIND, UNSTABLE): GitHub auto-merge, which
//   merges as soon as branch protection is satisfied. An UNKNOWN that turned CLEAN meanwhile merges directly.
import { GitHubError, type PortContext, toGitHubError } from './client.js';
import { postComment } from './comments.js';

export type MergeMethod = 'merge' | 'squash' | 'rebase';
export interface MergeResult {
  outcome: 'merged' | 'auto-merge' | 'queued' | 'refused';
  message: string;
}

export interface PullState {
  id: string;
  number: number;
  state: 'OPEN' | 'CLOSED' | 'MERGED';
  merged: boolean;
  isDraft?: boolean;
  mergeStateStatus: string;
  isMergeQueueEnabled: boolean;
  headRefOid: string;
  autoMergeRequest?: { mergeMethod?: string } | null;
}

interface MergeStateAnswer {
  repository: { autoMergeAllowed: boolean; pullRequest: PullState | null } | null;
}

/** The PullRequest fields a merge decision needs (also asked for when the PR is created). */
export const MERGE_STATE_FIELDS =
  'state merged isDraft mergeStateStatus isMergeQueueEnabled headRefOid autoMergeRequest { mergeMethod } repository { autoMergeAllowed }';

export const MERGE_STATE_QUERY = `query FailoverMergeState($owner: String!, $name: String!, $number: Int!) {
  repository(owner: $owner, name: $name) {
    autoMergeAllowed
    pullRequest(number: $number) {
      id number state merged isDraft mergeStateStatus isMergeQueueEnabled headRefOid
      autoMergeRequest { mergeMethod }
    }
  }
}`;

/** What GitHub said about a PR's mergeability, and when (ms): used instead of a read if it is fresh. */
export interface KnownMergeState {
  pr: PullState;
  autoMergeAllowed: boolean;
  at?: number;
}

/** The merge state from a createPullRequest answer, when it carried every field. */
export function knownMergeState(
  created: Partial<PullState> & { number: number; repository?: { autoMergeAllowed?: boolean } | null },
): KnownMergeState | undefined {
  const allowed = created.repository?.autoMergeAllowed;
  if (!created.id || !created.state || !created.mergeStateStatus || !created.headRefOid) return undefined;
  if (typeof allowed !== 'boolean' || typeof created.isMergeQueueEnabled !== 'boolean') return undefined;
  const { repository: _repo, ...pr } = created as PullState & { repository?: unknown };
  return { pr, autoMergeAllowed: allowed };
}

// expectedHeadOid makes both mutations a compare-and-swap: a human push after our read is refused.
export const AUTO_MERGE_MUTATION = `mutation FailoverAutoMerge($pullRequestId: ID!, $mergeMethod: PullRequestMergeMethod!, $expectedHeadOid: GitObjectID) {
  enablePullRequestAutoMerge(input: { pullRequestId: $pullRequestId, mergeMethod: $mergeMethod, expectedHeadOid: $expectedHeadOid }) {
    pullRequest { number }
  }
}`;

export const ENQUEUE_MUTATION = `mutation FailoverEnqueue($pullRequestId: ID!, $expectedHeadOid: GitObjectID) {
  enqueuePullRequest(input: { pullRequestId: $pullRequestId, expectedHeadOid: $expectedHeadOid }) {
    mergeQueueEntry { position }
  }
}`;

/** The repository setting auto-merge needs, said the way an admin finds it. */
export function allowAutoMergeHint(owner: string, repo: string): string {
  return (
    `turn on "Allow auto-merge" in ${owner}/${repo} (Settings → General → Pull Requests; ` +
    `or \`gh api -X PATCH repos/${owner}/${repo} -F allow_auto_merge=true\`)`
  );
}

/** States in which GitHub merges a PR right away. */
const MERGEABLE_NOW = new Set(['CLEAN', 'HAS_HOOKS']);

/** `known`: the state the PR's creation answered with, moments ago; otherwise it is read. */
export async function mergePr(
  ctx: PortContext,
  number: number,
  method: MergeMethod = 'squash',
  known?: KnownMergeState,
): Promise<MergeResult> {
  const { pr, autoMergeAllowed } = known ?? (await readMergeState(ctx, number));
  if (pr.merged || pr.state === 'MERGED')
    return { outcome: 'merged', message: `#${number} is already merged` };
  if (pr.state !== 'OPEN') return { outcome: 'refused', message: `#${number} is closed` };
  if (pr.isMergeQueueEnabled) return enqueue(ctx, pr);
  if (pr.mergeStateStatus === 'DIRTY')
    return { outcome: 'refused', message: `#${number} has conflicts with its base branch` };
  if (pr.autoMergeRequest) return autoMergeOn(ctx, pr, method);
  // Each path may hand over to the other once (the state changed between the read and the call); the
  // second answer is final.
  if (MERGEABLE_NOW.has(pr.mergeStateStatus)) return mergeNow(ctx, pr, method, autoMergeAllowed);
  return enableAutoMerge(ctx, pr, method, autoMergeAllowed, true);
}

async function readMergeState(ctx: PortContext, number: number): Promise<KnownMergeState> {
  const answer = await ctx.gh.graphql<MergeStateAnswer>(MERGE_STATE_QUERY, {
    owner: ctx.owner,
    name: ctx.repo,
    number,
  });
  const pr = answer.repository?.pullRequest;
  if (!answer.repository || !pr) throw new GitHubError(404, false, `#${number} not found`);
  return { pr, autoMergeAllowed: answer.repository.autoMergeAllowed };
}

function autoMergeOn(ctx: PortContext, pr: PullState, method: MergeMethod): MergeResult {
  const why =
    pr.mergeStateStatus === 'UNKNOWN'
      ? 'once GitHub has checked that it can merge'
      : 'when branch protection is satisfied (required checks, reviews)';
  return {
    outcome: 'auto-merge',
    message: `auto-merge is on for #${pr.number} in ${ctx.owner}/${ctx.repo}: GitHub merges it (${method}) ${why}`,
  };
}

/** `autoMergeAllowed` undefined: this is already the handover, so a refusal is final. */
async function mergeNow(
  ctx: PortContext,
  pr: PullState,
  method: MergeMethod,
  autoMergeAllowed: boolean | undefined,
): Promise<MergeResult> {
  try {
    // `sha` makes the merge a compare-and-swap: a human push after our read answers 409.
    await ctx.gh.request('PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge', {
      owner: ctx.owner,
      repo: ctx.repo,
      pull_number: pr.number,
      merge_method: method,
      sha: pr.headRefOid,
    });
    return { outcome: 'merged', message: `merged #${pr.number} (${method})` };
  } catch (thrown: unknown) {
    const err = toGitHubError(thrown);
    if (err.status === 405 && WAITS_FOR_PROTECTION.test(err.message) && autoMergeAllowed !== undefined)
      return enableAutoMerge(ctx, pr, method, autoMergeAllowed, false);
    if (err.status === 405 && /merge queue/i.test(err.message)) return enqueue(ctx, pr);
    if (err.status === 403) return refusedForPermission(ctx, pr.number, err.message);
    if (err.status === 405 || err.status === 409)
      return { outcome: 'refused', message: `GitHub refused to merge #${pr.number}: ${err.message}` };
    throw err;
  }
}

/** 405 messages that mean "not yet": branch protection or rulesets want checks or reviews first. */
const WAITS_FOR_PROTECTION = /status check|approving review|code owner|required/i;

async function enableAutoMerge(
  ctx: PortContext,
  pr: PullState,
  method: MergeMethod,
  autoMergeAllowed: boolean,
  mayMergeNow: boolean,
): Promise<MergeResult> {
  if (!autoMergeAllowed) return autoMergeNotAllowed(ctx, pr);
  try {
    await ctx.gh.graphql(AUTO_MERGE_MUTATION, {
      pullRequestId: pr.id,
      mergeMethod: method.toUpperCase(),
      expectedHeadOid: pr.headRefOid,
    });
    return autoMergeOn(ctx, pr, method);
  } catch (thrown: unknown) {
    const err = toGitHubError(thrown);
    if (/auto merge is not allowed/i.test(err.message)) return autoMergeNotAllowed(ctx, pr);
    // The computation finished between our read and the mutation, and the PR can merge now: GitHub
    // refuses auto-merge for it, so it is merged directly (once, not in a loop).
    if (/clean status|has_hooks status/i.test(err.message) && mayMergeNow)
      return mergeNow(ctx, { ...pr, mergeStateStatus: 'CLEAN' }, method, undefined);
    if (isPermissionError(err)) return refusedForPermission(ctx, pr.number, err.message);
    // Anything else GitHub refused (a rule forbids it, the head moved): a report for humans, not a retry.
    if (err.status === 200 || (err.status >= 400 && err.status < 500)) {
      return {
        outcome: 'refused',
        message: `#${pr.number} cannot merge yet (${pr.mergeStateStatus.toLowerCase()}) and auto-merge could not be enabled: ${err.message}`,
      };
    }
    throw err;
  }
}

function autoMergeNotAllowed(ctx: PortContext, pr: PullState): MergeResult {
  return {
    outcome: 'refused',
    message: `#${pr.number} cannot merge yet (${pr.mergeStateStatus.toLowerCase()}) and GitHub auto-merge is off: ${allowAutoMergeHint(ctx.owner, ctx.repo)}`,
  };
}

async function enqueue(ctx: PortContext, pr: PullState): Promise<MergeResult> {
  try {
    const data = await ctx.gh.graphql<{ enqueuePullRequest?: { mergeQueueEntry?: { position?: number } } }>(
      ENQUEUE_MUTATION,
      { pullRequestId: pr.id, expectedHeadOid: pr.headRefOid },
    );
    const position = data.enqueuePullRequest?.mergeQueueEntry?.position;
    return {
      outcome: 'queued',
      message: `#${pr.number} is in the merge queue${position ? ` (position ${position})` : ''}: the queue merges it when its checks pass`,
    };
  } catch (thrown: unknown) {
    const err = toGitHubError(thrown);
    if (isPermissionError(err)) return refusedForPermission(ctx, pr.number, err.message);
    if (err.status === 200 || (err.status >= 400 && err.status < 500))
      return { outcome: 'refused', message: `#${pr.number} could not join the merge queue: ${err.message}` };
    throw err;
  }
}

function isPermissionError(err: GitHubError): boolean {
  return err.status === 403 || err.graphqlErrors.some((e) => e.type === 'FORBIDDEN');
}

function refusedForPermission(ctx: PortContext, number: number, message: string): MergeResult {
  return {
    outcome: 'refused',
    message:
      `GitHub refused to merge #${number} in ${ctx.owner}/${ctx.repo} (${message}): the app needs ` +
      '"Contents: write" and "Pull requests: write" (see docs/bot.md, permissions)',
  };
}

/**
 * Where a closed PR's branch may be deleted: only at the commit the caller saw holding nothing but the
 * app's own commits. The delete is a compare-and-swap on that commit (GraphQL updateRefs with a zero
 * afterOid), so a push that lands meanwhile keeps the branch.
 */
export interface BranchDeletion {
  repositoryId: string;
  headSha: string;
}

const DELETE_BRANCH_MUTATION = `mutation FailoverDeleteBranch($repositoryId: ID!, $ref: GitRefname!, $beforeOid: GitObjectID!) {
  updateRefs(input: { repositoryId: $repositoryId, refUpdates: [{ name: $ref, beforeOid: $beforeOid, afterOid: "0000000000000000000000000000000000000000", force: true }] }) { clientMutationId }
}`;

/**
 * Comments why and closes the PR. Its branch is deleted only when `deletion` says at which commit (the
 * app's own work); otherwise, or when someone pushed since, the branch stays: the bot never deletes
 * commits someone else pushed. Returns whether the branch was deleted.
 */
export async function closePr(
  ctx: PortContext,
  number: number,
  comment: string,
  deletion?: BranchDeletion,
): Promise<{ branchDeleted: boolean }> {
  if (comment) await postComment(ctx, number, comment);
  const res = await ctx.gh.request('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', {
    owner: ctx.owner,
    repo: ctx.repo,
    pull_number: number,
    state: 'closed',
  });
  const branch = (res.data as { head?: { ref?: string } }).head?.ref;
  if (!branch || !deletion) return { branchDeleted: false };
  try {
    await ctx.gh.graphql(DELETE_BRANCH_MUTATION, {
      repositoryId: deletion.repositoryId,
      ref: `refs/heads/${branch}`,
      beforeOid: deletion.headSha,
    });
    return { branchDeleted: true };
  } catch (thrown: unknown) {
    const err = toGitHubError(thrown);
    // A moved branch (someone pushed) or one already gone: keep what is there, report no deletion.
    if (err.status === 200 || err.status === 404 || err.status === 422) return { branchDeleted: false };
    throw thrown;
  }
}
