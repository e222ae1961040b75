// The GitHub port: the only code that talks to the GitHub API. Idempotent verbs over an injected client
// (Probot's context.octokit, @actions/github's getOctokit, or a plain Octokit).
import type { Permission, PrPlan } from '../core/types.js';
import { getPermission, isTeamMember } from './access.js';
import {
  type CheckRunArgs,
  createCheckRun,
  createDeployment,
  createDeploymentStatus,
  type DeploymentArgs,
  type DeploymentState,
  updateCheckRun,
} from './checks-deployments.js';
import { createPortContext, type PortOptions } from './client.js';
import { type CommentAction, ensureComment, postComment } from './comments.js';
import { type EnsuredPr, ensureFailoverPr } from './failover-pr.js';
import {
  addLabels,
  type CommitPr,
  findPrForCommit,
  type ReactionContent,
  react,
  updatePrBody,
} from './issues.js';
import {
  type BranchDeletion,
  closePr,
  type KnownMergeState,
  type MergeMethod,
  type MergeResult,
  mergePr,
} from './merge.js';

/** How long the merge state a PR's creation answered with stands in for a read. */
const FRESH_MS = 10_000;

import { type RepoSnapshot, readSnapshot, type SnapshotCache } from './snapshot.js';
import {
  closeIssue,
  createStatusIssue,
  findStatusIssue,
  type StatusIssue,
  updateIssueBody,
} from './status-issue.js';

export { MissingPermissionError } from './access.js';
export type { CheckOutput, CheckRunArgs, DeploymentArgs, DeploymentState } from './checks-deployments.js';
export {
  createPortContext,
  type GitHubClient,
  GitHubError,
  type PortContext,
  type PortOptions,
  type RetryOptions,
  type Sleep,
} from './client.js';
export { COMMENT_LIMIT, type CommentAction, commentMarker } from './comments.js';
export type { EnsuredPr } from './failover-pr.js';
export { type AppClient, findInstallationId } from './installation.js';
export type { CommitPr, ReactionContent } from './issues.js';
export type { BranchDeletion, MergeMethod, MergeResult } from './merge.js';
export type { RepoSnapshot } from './snapshot.js';
export { STATUS_LABEL, type StatusIssue } from './status-issue.js';
export type { MarkerVerdict, PortTrust, UntrustedMarker } from './trust.js';

export interface GitHubPortOptions extends PortOptions {
  /** How mergePr merges (default squash: one commit per failover on the default branch). */
  mergeMethod?: MergeMethod;
}

export interface GitHubPort {
  readonly owner: string;
  readonly repo: string;
  readSnapshot(): Promise<RepoSnapshot>;
  ensureFailoverPr(plan: PrPlan, snap: RepoSnapshot): Promise<EnsuredPr>;
  mergePr(number: number): Promise<MergeResult>;
  /** Closes a PR; its branch is deleted only at `deletion.headSha` (see BranchDeletion). */
  closePr(number: number, comment: string, deletion?: BranchDeletion): Promise<{ branchDeleted: boolean }>;
  ensureComment(
    issueNumber: number,
    key: string,
    body: string,
  ): Promise<{ id: number; action: CommentAction }>;
  comment(issueNumber: number, body: string): Promise<{ id: number; url: string }>;
  react(commentId: number, content: ReactionContent): Promise<void>;
  addLabels(number: number, labels: string[]): Promise<void>;
  updatePrBody(number: number, body: string): Promise<void>;
  getPermission(login: string): Promise<Permission>;
  isTeamMember(team: string, login: string): Promise<boolean>;
  findPrForCommit(sha: string): Promise<CommitPr | undefined>;
  createCheckRun(args: CheckRunArgs): Promise<{ id: number; url: string }>;
  updateCheckRun(id: number, args: Partial<Omit<CheckRunArgs, 'headSha'>>): Promise<void>;
  createDeployment(args: DeploymentArgs): Promise<{ id: number }>;
  createDeploymentStatus(
    deploymentId: number,
    state: DeploymentState,
    opts?: { description?: string; logUrl?: string; environmentUrl?: string },
  ): Promise<void>;
  /** The repo's status issue (label `failover:status`), found by label. */
  findStatusIssue(): Promise<StatusIssue | undefined>;
  createStatusIssue(title: string, body: string): Promise<StatusIssue>;
  updateIssueBody(number: number, body: string): Promise<void>;
  /** Comments why, then closes an issue (a duplicate status issue). */
  closeIssue(number: number, comment: string): Promise<void>;
}

export function createGitHubPort(opts: GitHubPortOptions): GitHubPort {
  const ctx = createPortContext(opts);
  const cache: SnapshotCache = {};
  const knownLabels = new Set<string>();
  const mergeMethod = opts.mergeMethod ?? 'squash';
  // What creating a PR answered about its mergeability, used once by a merge within seconds of it.
  const fresh = new Map<number, KnownMergeState>();
  const takeFresh = (number: number): KnownMergeState | undefined => {
    const known = fresh.get(number);
    fresh.delete(number);
    return known && ctx.now() - (known.at ?? 0) < FRESH_MS ? known : undefined;
  };
  return {
    owner: opts.owner,
    repo: opts.repo,
    readSnapshot: () => readSnapshot(ctx, cache),
    ensureFailoverPr: (plan, snap) =>
      ensureFailoverPr(ctx, plan, snap, (number, known) => {
        fresh.set(number, { ...known, at: ctx.now() });
      }),
    mergePr: (number) => mergePr(ctx, number, mergeMethod, takeFresh(number)),
    closePr: (number, comment, deletion) => closePr(ctx, number, comment, deletion),
    ensureComment: (issueNumber, key, body) => ensureComment(ctx, issueNumber, key, body),
    comment: (issueNumber, body) => postComment(ctx, issueNumber, body),
    react: (commentId, content) => react(ctx, commentId, content),
    addLabels: (number, labels) => addLabels(ctx, number, labels, knownLabels),
    updatePrBody: (number, body) => updatePrBody(ctx, number, body),
    getPermission: (login) => getPermission(ctx, login),
    isTeamMember: (team, login) => isTeamMember(ctx, team, login),
    findPrForCommit: (sha) => findPrForCommit(ctx, sha),
    createCheckRun: (args) => createCheckRun(ctx, args),
    updateCheckRun: (id, args) => updateCheckRun(ctx, id, args),
    createDeployment: (args) => createDeployment(ctx, args),
    createDeploymentStatus: (id, state, o) => createDeploymentStatus(ctx, id, state, o),
    findStatusIssue: () => findStatusIssue(ctx),
    createStatusIssue: (title, body) => createStatusIssue(ctx, title, body, knownLabels),
    updateIssueBody: (number, body) => updateIssueBody(ctx, number, body),
    closeIssue: (number, comment) => closeIssue(ctx, number, comment),
  };
}
