// init → plan → show -json → summary, shared by plan and apply (for cdktn: synth first, then the same
// steps in the synthesised stack). Sensitive plan values are masked before anything is logged. With
// `iac: none` a GitOps controller applies what lands on the default branch: no IaC step runs.
import { basename, join } from 'node:path';
import { type PlanSummary, renderPlanSummary, summarisePlan } from '../iac/plan-summary.js';
import type { IacRunner } from '../iac/runner.js';
import type { RunState } from './context.js';
import type { ActionInputs } from './inputs.js';
import { step } from './io.js';

export interface PlannedRun {
  runner: IacRunner;
  planFile: string;
  summary: PlanSummary;
  markdown: string;
  oneLine: string;
}

/** What the report says instead of a plan when a GitOps controller applies the change. */
export const CONTROLLER_NOTE =
  'Applied by the GitOps controller (`iac: none`): the Action runs no IaC step and verifies the change once it takes effect.';

/** The CLI that plans and applies, as step names show it: cdktn stacks are planned with Terraform (or iac-binary). */
export function terraformLabel(inputs: Pick<ActionInputs, 'iac' | 'iacBinary'>): string {
  if (inputs.iac !== 'cdktn') return inputs.iac;
  return inputs.iacBinary ? basename(inputs.iacBinary) : 'terraform';
}

export async function initAndPlan(state: RunState): Promise<PlannedRun> {
  const { deps } = state;
  const { io, inputs } = deps;
  if (inputs.iac === 'none') throw new Error('initAndPlan is not for iac none');
  const runner = deps.iac({
    tool: inputs.iac,
    binary: inputs.iacBinary,
    cwd: join(deps.workspace, inputs.workingDirectory),
    ...(inputs.stack ? { stack: inputs.stack } : {}),
    repoRoot: deps.workspace,
    log: (entry) => io.info(`${entry.step}: ${entry.ok ? 'ok' : 'failed'} in ${Math.round(entry.ms)} ms`),
    // Live, inside the step's log group; plan output is already masked by Terraform, and values the plan
    // marks sensitive are registered as secrets before apply prints anything.
    onOutput: (line) => io.info(line),
  });
  const tf = terraformLabel(inputs);
  const planFile = 'failover.tfplan';
  if (inputs.iac === 'cdktn') {
    await step(io, state.steps, 'cdktn synth', deps.now, () => runner.synth());
    io.info(`planning the synthesised stack in ${runner.workingDir()}`);
  }
  await step(io, state.steps, `${tf} init`, deps.now, () => runner.init());
  await step(io, state.steps, `${tf} plan`, deps.now, () => runner.plan(planFile));
  const summary = await step(io, state.steps, `${tf} show -json`, deps.now, async () => {
    const planned = summarisePlan(await runner.showJson(planFile));
    for (const secret of planned.secrets) io.setSecret(secret);
    return planned;
  });
  const markdown = renderPlanSummary(summary);
  const c = summary.counts;
  const oneLine = `${c.update} to update, ${c.create} to create, ${c.delete} to delete, ${c.replace} to replace`;
  io.info(`plan: ${oneLine}`);
  return { runner, planFile, summary, markdown, oneLine };
}

/**
 * Plans and applies the flip; `onPlanned` gets the one-line summary before the apply starts, so a
 * failed apply still reports what it was applying. With `iac: none` nothing runs here.
 */
export async function applyFlip(state: RunState, onPlanned: (oneLine: string) => void): Promise<void> {
  const { deps } = state;
  if (deps.inputs.iac === 'none') {
    deps.io.info('iac none: the GitOps controller applies the pushed change; waiting for it to take effect');
    return;
  }
  const planned = await initAndPlan(state);
  onPlanned(planned.oneLine);
  await step(deps.io, state.steps, `${terraformLabel(deps.inputs)} apply`, deps.now, () =>
    planned.runner.apply(planned.planFile),
  );
}
