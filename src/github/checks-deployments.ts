// Check runs and deployments, reported by the Action on the merge commit (DESIGN §8).
import { clipKeepingRecord } from '../core/render/verify-record.js';
import type { PortContext } from './client.js';

export interface CheckOutput {
  title: string;
  summary: string;
  text?: string;
}

export interface CheckRunArgs {
  name: string;
  headSha: string;
  status?: 'queued' | 'in_progress' | 'completed';
  conclusion?: 'success' | 'failure' | 'neutral' | 'cancelled' | 'timed_out' | 'action_required' | 'skipped';
  output?: CheckOutput;
  detailsUrl?: string;
  externalId?: string;
}

/** GitHub caps check-run output text and summary at 65,535 characters. */
export const OUTPUT_LIMIT = 65_535;

function clip(text: string): string {
  return clipKeepingRecord(text, OUTPUT_LIMIT);
}

function outputParams(output: CheckOutput | undefined): Record<string, unknown> {
  if (!output) return {};
  return {
    output: {
      title: output.title,
      summary: clip(output.summary),
      ...(output.text ? { text: clip(output.text) } : {}),
    },
  };
}

export async function createCheckRun(
  ctx: PortContext,
  args: CheckRunArgs,
): Promise<{ id: number; url: string }> {
  const res = await ctx.gh.request('POST /repos/{owner}/{repo}/check-runs', {
    owner: ctx.owner,
    repo: ctx.repo,
    name: args.name,
    head_sha: args.headSha,
    ...(args.status ? { status: args.status } : {}),
    ...(args.conclusion ? { conclusion: args.conclusion, status: 'completed' } : {}),
    ...(args.detailsUrl ? { details_url: args.detailsUrl } : {}),
    ...(args.externalId ? { external_id: args.externalId } : {}),
    ...outputParams(args.output),
  });
  return { id: res.data.id as number, url: (res.data.html_url as string) ?? '' };
}

export async function updateCheckRun(
  ctx: PortContext,
  id: number,
  args: Partial<Omit<CheckRunArgs, 'headSha'>>,
): Promise<void> {
  await ctx.gh.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', {
    owner: ctx.owner,
    repo: ctx.repo,
    check_run_id: id,
    ...(args.name ? { name: args.name } : {}),
    ...(args.status ? { status: args.status } : {}),
    ...(args.conclusion ? { conclusion: args.conclusion, status: 'completed' } : {}),
    ...outputParams(args.output),
  });
}

export interface DeploymentArgs {
  service: string;
  /** The commit deployed (the merge commit). */
  ref: string;
  description?: string;
  payload?: Record<string, unknown>;
}

export type DeploymentState =
  | 'error'
  | 'failure'
  | 'inactive'
  | 'in_progress'
  | 'queued'
  | 'pending'
  | 'success';

/** A deployment to environment `failover/<service>`; no auto-merge and no required contexts: the
 *  apply already happened, GitHub must not try to gate or merge anything. */
export async function createDeployment(ctx: PortContext, args: DeploymentArgs): Promise<{ id: number }> {
  const res = await ctx.gh.request('POST /repos/{owner}/{repo}/deployments', {
    owner: ctx.owner,
    repo: ctx.repo,
    ref: args.ref,
    environment: `failover/${args.service}`,
    auto_merge: false,
    required_contexts: [],
    ...(args.description ? { description: args.description.slice(0, 140) } : {}),
    ...(args.payload ? { payload: args.payload } : {}),
  });
  return { id: res.data.id as number };
}

export async function createDeploymentStatus(
  ctx: PortContext,
  deploymentId: number,
  state: DeploymentState,
  opts: { description?: string; logUrl?: string; environmentUrl?: string } = {},
): Promise<void> {
  await ctx.gh.request('POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', {
    owner: ctx.owner,
    repo: ctx.repo,
    deployment_id: deploymentId,
    state,
    ...(opts.description ? { description: opts.description.slice(0, 140) } : {}),
    ...(opts.logUrl ? { log_url: opts.logUrl } : {}),
    ...(opts.environmentUrl ? { environment_url: opts.environmentUrl } : {}),
  });
}
