// init → plan → show -json → summary, shared by plan and apply. Sensitive plan values are masked
// before anything is logged.
import { join } from 'node:path';
import { UserError } from '../core/errors.js';
import { type PlanSummary, renderPlanSummary, summarisePlan } from '../iac/plan-summary.js';
import type { IacRunner } from '../iac/runner.js';
import type { RunState } from './context.js';
import { step } from './io.js';

export interface PlannedRun {
  runner: IacRunner;
  planFile: string;
  summary: PlanSummary;
  markdown: string;
  oneLine: string;
}

export async function initAndPlan(state: RunState): Promise<PlannedRun> {
  const { deps } = state;
  const { io, inputs } = deps;
  if (inputs.iac === 'cdktn') {
    throw new UserError(
      'input "iac: cdktn" is not available yet (a separate issue adds synth); use terraform or tofu on the synthesised stack',
    );
  }
  const cwd = join(deps.workspace, inputs.workingDirectory);
  const runner = deps.iac({
    tool: inputs.iac,
    binary: inputs.iacBinary,
    cwd,
    log: (entry) => io.info(`${entry.step}: ${entry.ok ? 'ok' : 'failed'} in ${Math.round(entry.ms)} ms`),
    // Live, inside the step's log group; plan output is already masked by Terraform, and values the plan
    // marks sensitive are registered as secrets before apply prints anything.
    onOutput: (line) => io.info(line),
  });
  const planFile = 'failover.tfplan';
  await step(io, state.steps, `${inputs.iac} init`, deps.now, () => runner.init());
  await step(io, state.steps, `${inputs.iac} plan`, deps.now, () => runner.plan(planFile));
  const summary = await step(io, state.steps, `${inputs.iac} show -json`, deps.now, async () => {
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
