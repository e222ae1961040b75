// `plan` on a failover PR: which flags the PR flips, what Terraform would do, and whether the new
// targets pass their preflight checks — one sticky comment and one check run.

import { parseDuration } from '../core/duration.js';
import { UserError } from '../core/errors.js';
import { FAILURE_ECHO_LIMIT, inert } from '../core/render/text.js';
import type { VerifyReport } from '../verify/types.js';
import type { ActionResult, RunState } from './context.js';
import { describeFailure } from './failure.js';
import { CONTROLLER_NOTE, initAndPlan } from './iac-steps.js';
import { step } from './io.js';
import { renderChanges, renderSteps, renderVerifications } from './report.js';
import { diffCommits } from './run.js';

export async function runPlan(state: RunState): Promise<ActionResult> {
  const { deps } = state;
  const pr = deps.event.payload?.pull_request;
  if (!pr?.base?.sha || !pr?.head?.sha) {
    throw new UserError('command "plan" runs on pull_request events (no pull_request in the event payload)');
  }
  state.changes = await step(deps.io, state.steps, 'find changed services', deps.now, () =>
    diffCommits(state, pr.base.sha, pr.head.sha),
  );
  const changed = state.changes.map((c) => c.service);
  if (state.changes.length === 0) {
    await deps.io.summary(
      '## gitops-failover plan\n\nThis pull request changes no failover flag; nothing to plan.',
    );
    return { ok: true, changedServices: [], planSummary: '', verified: undefined, rtoSeconds: undefined };
  }

  let failure: string | undefined;
  let planMarkdown = '';
  let oneLine = '';
  const preflights: { service: string; target: string; report: VerifyReport }[] = [];
  try {
    if (deps.inputs.iac !== 'none') {
      const planned = await initAndPlan(state);
      planMarkdown = planned.markdown;
      oneLine = planned.oneLine;
    }
    for (const change of state.changes) {
      const svc = state.config.services[change.service]!;
      const report = await step(deps.io, state.steps, `preflight ${change.service}`, deps.now, () =>
        deps.verify(svc.preflight.checks, {
          target: change.to,
          timeoutMs: parseDuration(svc.preflight.timeout),
        }),
      );
      preflights.push({ service: change.service, target: change.to, report });
    }
    const failed = preflights.filter((p) => !p.report.ok).map((p) => `${p.service} on ${p.target}`);
    if (failed.length > 0) failure = `preflight checks failed for ${failed.join(', ')}`;
  } catch (err: unknown) {
    failure = describeFailure(err);
  }

  const body = [
    `### gitops-failover plan: ${failure ? 'failed' : 'ready to merge'}`,
    renderChanges(state.changes),
    planMarkdown ? `#### Terraform\n\n${planMarkdown}` : '',
    deps.inputs.iac === 'none' ? CONTROLLER_NOTE : '',
    preflights.length > 0 ? `#### Preflight\n\n${renderVerifications(preflights)}` : '',
    // Failure text can carry terraform output or probe answers: inert (no markup, mentions, markers).
    failure ? `**What failed:** ${inert(failure, FAILURE_ECHO_LIMIT)}` : '',
    `<details><summary>Steps</summary>\n\n${renderSteps(state.steps)}\n\n</details>`,
  ]
    .filter(Boolean)
    .join('\n\n');
  // The summary first: if GitHub refuses the report, the plan is still readable in the job.
  await deps.io.summary(body);
  await report(state, pr.number, pr.head.sha, body, failure);
  return {
    ok: !failure,
    changedServices: changed,
    planSummary: oneLine,
    verified: undefined,
    rtoSeconds: undefined,
    failure,
  };
}

async function report(state: RunState, prNumber: number, headSha: string, body: string, failure?: string) {
  const { github, io } = state.deps;
  if (!github) {
    io.warning('no github-token: the plan is in the job summary only');
    return;
  }
  await step(io, state.steps, 'report to GitHub', state.deps.now, async () => {
    await github.ensureComment(prNumber, 'plan', body);
    await github.createCheckRun({
      name: 'gitops-failover/plan',
      headSha,
      conclusion: failure ? 'failure' : 'success',
      output: {
        title: failure ? `Plan failed: ${failure}`.slice(0, 200) : 'Failover plan ready',
        summary: body,
      },
      detailsUrl: state.deps.event.runUrl,
    });
  });
}
