// ensureFailoverPr: branch + signed commit + PR in ONE batched GraphQL mutation. The branch name is the
// idempotency key and the distributed lock: creating an existing ref fails, and the loser reads the
// winner's PR instead of opening a second one (DESIGN §5, §11). GitHub runs the fields of a mutation in
// order and reports each failure separately, so one document does the work of three round trips.
import { fitBody } from '../core/render/index.js';
import type { PrPlan } from '../core/types.js';
import { GitHubError, type PortContext, type RetryingClient, toGitHubError } from './client.js';
import { postComment } from './comments.js';
import { updatePrBody } from './issues.js';
import { type KnownMergeState, knownMergeState, MERGE_STATE_FIELDS, type PullState } from './merge.js';
import type { RepoSnapshot } from './snapshot.js';
import { isAppAuthor, judgeMarker, sealBody } from './trust.js';

export interface EnsuredPr {
  number: number;
  url: string;
  created: boolean;
  /**
   * The body of a PR another run opened first (a lost race), so the loser can re-judge what it does:
   * '' when its marker is not the app's signed one (the loser then never merges it).
   */
  body?: string;
  /** That PR is merged already (a warm winner merges within a round trip): nothing is left to merge. */
  merged?: boolean;
}

export function openPrMutation(branchIsStale: boolean): string {
  // A leftover branch (merged or abandoned earlier) is moved with a compare-and-swap on its old oid,
  // so two racers cannot both take it.
  const branchField = branchIsStale
    ? `ref: updateRefs(input: { repositoryId: $repositoryId, refUpdates: [{ name: $ref, beforeOid: $staleOid, afterOid: $headSha, force: true }] }) { clientMutationId }`
    : `ref: createRef(input: { repositoryId: $repositoryId, name: $ref, oid: $headSha }) { ref { name } }`;
  // RefUpdate.name is a GitRefname, createRef's name a String: the variable's type follows the field.
  const refVar = branchIsStale ? '$ref: GitRefname!, $staleOid: GitObjectID!' : '$ref: String!';
  return `mutation FailoverOpenPr($repositoryId: ID!, ${refVar}, $headSha: GitObjectID!,
  $branch: CommittableBranch!, $additions: [FileAddition!]!, $headline: String!, $commitBody: String,
  $base: String!, $head: String!, $title: String!, $prBody: String) {
  ${branchField}
  commit: createCommitOnBranch(input: { branch: $branch, expectedHeadOid: $headSha,
    fileChanges: { additions: $additions }, message: { headline: $headline, body: $commitBody } }) { commit { oid url } }
  pr: createPullRequest(input: { repositoryId: $repositoryId, baseRefName: $base, headRefName: $head,
    title: $title, body: $prBody }) { pullRequest { id number url ${MERGE_STATE_FIELDS}
      headRef { target { ... on Commit { oid messageHeadline parents(first: 1) { nodes { oid } } } } }
      baseRef { target { oid } } } }
}`;
}

const FATAL_TYPES = new Set(['FORBIDDEN', 'NOT_FOUND', 'INSUFFICIENT_SCOPES', 'UNAUTHORIZED']);

interface CreatedPr extends Partial<PullState> {
  number: number;
  url: string;
  repository?: { autoMergeAllowed?: boolean } | null;
  headRef?: {
    target?: { oid?: string; messageHeadline?: string; parents?: { nodes?: { oid: string }[] } } | null;
  } | null;
  baseRef?: { target?: { oid?: string } | null } | null;
}

interface OpenPrData {
  commit?: { commit?: { oid: string } | null } | null;
  pr?: { pullRequest?: CreatedPr | null } | null;
}

/**
 * `onMergeState` receives what the mutation's answer said about the new PR's mergeability, so a merge
 * right after it needs no read of its own (one round trip less on the alert's critical path).
 */
export async function ensureFailoverPr(
  ctx: PortContext,
  plan: PrPlan,
  snap: RepoSnapshot,
  onMergeState?: (number: number, known: KnownMergeState) => void,
): Promise<EnsuredPr> {
  const existing = snap.view.openPrs.find((p) => p.branch === plan.branch);
  if (existing) {
    // Renovate's rule: the branch is the key; refresh the PR (its timeline) instead of opening another.
    await updatePrBody(ctx, existing.number, plan.body);
    return { number: existing.number, url: existing.url, created: false };
  }
  const staleOid = snap.staleBranches[plan.branch];
  const [headline = plan.title, ...rest] = plan.commitMessage.split('\n');
  const vars: Record<string, unknown> = {
    repositoryId: snap.repositoryId,
    ref: `refs/heads/${plan.branch}`,
    // The edits were computed against this commit; the branch starts there and nowhere else.
    headSha: plan.baseSha || snap.view.headSha,
    branch: { repositoryNameWithOwner: `${ctx.owner}/${ctx.repo}`, branchName: plan.branch },
    additions: finalContents(plan.edits).map(([path, text]) => ({
      path,
      contents: Buffer.from(text, 'utf8').toString('base64'),
    })),
    headline,
    commitBody: rest.join('\n').trim(),
    base: snap.view.defaultBranch,
    head: plan.branch,
    title: plan.title,
    // GitHub refuses bodies over 65,536 characters; a refused PR would leave a branch without one.
    prBody: fitBody(sealBody(ctx.trust, `${ctx.owner}/${ctx.repo}`, ctx.redact(plan.body))),
    ...(staleOid !== undefined ? { staleOid } : {}),
  };
  const baseSha = vars.headSha as string;
  // Only the mutation is retried here, and a retry comes after a wait in which another replica may have
  // opened this failover, or opened and merged it: then that PR is the answer, and a mutation on our
  // older view would only repeat it.
  const mutate = async (
    attempt: number,
    gh: RetryingClient,
  ): Promise<{ found?: EnsuredPr; data?: OpenPrData }> => {
    if (attempt > 0) {
      const found = await prSinceSnapshot(ctx, plan.branch, snap);
      if (found) return { found };
    }
    return { data: await sendOpenPr(gh, vars, staleOid !== undefined) };
  };
  const outcome = ctx.retryStep ? await ctx.retryStep(mutate) : await mutate(0, ctx.gh);
  if (outcome.found) return outcome.found;
  const data = outcome.data;
  const created = data?.pr?.pullRequest;
  if (created) {
    if (isOurs(data, created, baseSha, headline)) {
      const known = knownMergeState(created);
      if (known) onMergeState?.(created.number, known);
      return { number: created.number, url: created.url, created: true };
    }
    await closeStray(ctx, created.number);
  }
  return findWinner(ctx, plan.branch, snap, created?.number);
}

/**
 * A PR on `branch` the snapshot did not know: open now, or merged after every merge it had seen (a
 * warm replica merges its PR within a round trip, so the loser of the branch may find it merged).
 */
async function prSinceSnapshot(
  ctx: PortContext,
  branch: string,
  snap: RepoSnapshot,
  exclude?: number,
): Promise<EnsuredPr | undefined> {
  const pulls = (await pullsOnBranch(ctx, branch, 'all', 10)).filter((p) => p.number !== exclude);
  const lastKnown = Math.max(0, ...snap.view.history.map((h) => h.pr));
  const found =
    pulls.find((p) => p.state === 'open') ??
    pulls.filter((p) => p.merged_at && p.number > lastKnown).sort((a, b) => b.number - a.number)[0];
  return found
    ? {
        number: found.number,
        url: found.html_url,
        created: false,
        body: trustedBody(ctx, found),
        ...(found.merged_at ? { merged: true } : {}),
      }
    : undefined;
}

/**
 * The found PR's body when its marker is the app's own, signed for this repo; '' otherwise, which the
 * caller reads as an unreadable marker and refuses to merge (anyone with write access can edit a body).
 */
function trustedBody(ctx: PortContext, pr: BranchPull): string {
  const author = pr.user ? { login: pr.user.login, isBot: pr.user.type === 'Bot' } : null;
  const verdict = judgeMarker(ctx.trust, `${ctx.owner}/${ctx.repo}`, pr.body, {
    author,
    crossRepository: false,
  });
  return verdict.ok ? (pr.body ?? '') : '';
}

/** The batched mutation once. A GraphQL answer with errors gives its partial data (a lost race). */
async function sendOpenPr(
  gh: RetryingClient,
  vars: Record<string, unknown>,
  branchIsStale: boolean,
): Promise<OpenPrData | undefined> {
  try {
    return await gh.graphql<OpenPrData>(openPrMutation(branchIsStale), vars);
  } catch (thrown: unknown) {
    const err = toGitHubError(thrown);
    // Only a GraphQL answer (200 with errors) can mean "someone else holds the branch". Anything else
    // goes up as thrown: its headers (retry-after) set the wait before the mutation is retried.
    if (err.status !== 200) throw thrown;
    // Missing permissions or repo are not a lost race: waiting for a winner would only delay the error.
    if (err.graphqlErrors.some((e) => e.type && FATAL_TYPES.has(e.type))) throw err;
    return err.data as OpenPrData | undefined;
  }
}

/**
 * A PR this mutation opened is ours only when its branch holds our change: our commit landed, or the
 * branch head is the same change made on our base while the default branch has not moved (a retried
 * mutation whose first try committed but lost its answer, or a twin replica that committed first).
 * Otherwise the PR was opened on a branch someone else left behind (their failover already merged, or
 * a different change): it must never be merged.
 */
function isOurs(data: OpenPrData | undefined, pr: CreatedPr, baseSha: string, headline: string): boolean {
  if (data?.commit?.commit?.oid) return true;
  const head = pr.headRef?.target;
  const parent = head?.parents?.nodes?.[0]?.oid;
  const mainHead = pr.baseRef?.target?.oid;
  return parent === baseSha && mainHead === baseSha && head?.messageHeadline === headline;
}

/** Closes a PR opened by a lost race, leaving the branch alone: it is the winner's. */
async function closeStray(ctx: PortContext, number: number): Promise<void> {
  await postComment(
    ctx,
    number,
    'Closed automatically: another failover for this service took the branch first, so this pull request would only repeat or undo it.',
  );
  await ctx.gh.request('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', {
    owner: ctx.owner,
    repo: ctx.repo,
    pull_number: number,
    state: 'closed',
  });
}

/**
 * The PR someone else opened on the branch, open or already merged. Their mutation may still be
 * running, so look a few times.
 */
async function findWinner(
  ctx: PortContext,
  branch: string,
  snap: RepoSnapshot,
  stray?: number,
): Promise<EnsuredPr> {
  for (let attempt = 0; attempt < 4; attempt++) {
    const found = await prSinceSnapshot(ctx, branch, snap, stray);
    if (found) return found;
    await ctx.sleep(150 * 2 ** attempt);
  }
  // Retryable: the next run sees the branch as stale (no PR) and takes it over with a compare-and-swap.
  throw new GitHubError(409, true, `branch ${branch} exists but no open pull request uses it yet`);
}

/** The fields of a listed PR the port reads. */
interface BranchPull {
  number: number;
  html_url: string;
  state: string;
  merged_at: string | null;
  body?: string | null;
  user?: { login: string; type?: string } | null;
}

/** The newest PRs whose head is `branch` in this repo (not in a fork), opened by the app when it knows itself. */
async function pullsOnBranch(
  ctx: PortContext,
  branch: string,
  state: 'open' | 'all',
  perPage: number,
): Promise<BranchPull[]> {
  const res = await ctx.gh.request('GET /repos/{owner}/{repo}/pulls', {
    owner: ctx.owner,
    repo: ctx.repo,
    head: `${ctx.owner}:${branch}`,
    state,
    per_page: perPage,
  });
  const pulls = res.data as BranchPull[];
  // Someone else's PR on a failover/ branch is never adopted (and so never merged) as the bot's own.
  return pulls.filter((p) => isAppAuthor(ctx.trust, p.user));
}

/**
 * One addition per path holding its final text. Group edits to a shared state file are chained (each
 * edit starts from the previous one's result), so the last edit of a path carries every change.
 */
export function finalContents(edits: PrPlan['edits']): [string, string][] {
  const byPath = new Map<string, string>();
  for (const edit of edits) byPath.set(edit.path, edit.newText);
  return [...byPath];
}
