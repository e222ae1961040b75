// Opening a failover PR, the same way for alerts, commands and follow-ups (rollback, drill failback).
import type { FailoverKind, PrPlan } from '../core/types.js';
import type { BranchDeletion, EnsuredPr, GitHubPort, RepoSnapshot } from '../github/index.js';
import type { Background } from './background.js';

/** What the port says of the PR: ours or a winner's (with its body, and whether it is merged already). */
export type OpenedPr = EnsuredPr;

/**
 * Ships the plan (the critical path) and labels the PR off that path. Labels go on whether or not the
 * port says it created the PR: `created: false` also comes back for a PR this very run opened when the
 * mutation's answer was lost and the retry found it, and the merged-PR history behind cooldown and
 * max_per_day is read by the `failover` label. Adding labels is idempotent.
 */
export async function openFailoverPr(
  port: Pick<GitHubPort, 'ensureFailoverPr' | 'addLabels'>,
  plan: PrPlan,
  snap: RepoSnapshot,
  ctx: { kind: FailoverKind; background: Background; prOpened?: (kind: string) => void },
): Promise<OpenedPr> {
  const pr = await port.ensureFailoverPr(plan, snap);
  if (pr.created) ctx.prOpened?.(ctx.kind);
  if (plan.labels.length > 0) ctx.background(port.addLabels(pr.number, plan.labels), 'labels');
  return pr;
}

/**
 * Where a failover PR's branch may be deleted when the bot closes it: at the head the snapshot saw, and
 * only when nobody but the app pushed to it. Undefined keeps the branch (someone else's commits, or a PR
 * the snapshot does not know).
 */
export function branchDeletion(snap: RepoSnapshot, pr: number): BranchDeletion | undefined {
  const open = snap.view.openPrs.find((p) => p.number === pr);
  if (!open || open.humanEdited) return undefined;
  return { repositoryId: snap.repositoryId, headSha: open.headSha };
}
