// `verify` alone: check every (filtered) service on the targets that carry it now, for drills and
// scheduled health checks. Reports as the check run `gitops-failover/health`.
import { servingTargets } from '../core/changes.js';
import { parseDuration } from '../core/duration.js';
import { UserError } from '../core/errors.js';
import { FAILURE_ECHO_LIMIT, inert } from '../core/render/text.js';
import { readStateValue } from '../core/state/index.js';
import type { VerifyReport } from '../verify/types.js';
import type { ActionResult, RunState } from './context.js';
import { step } from './io.js';
import { renderSteps, renderVerifications } from './report.js';

export async function runVerify(state: RunState): Promise<ActionResult> {
  const { deps, config } = state;
  const names = deps.inputs.services.length > 0 ? deps.inputs.services : Object.keys(config.services);
  const runs = names.flatMap((service) => {
    const svc = config.services[service]!;
    const text = deps.readWorking(svc.state.file);
    if (text === undefined)
      throw new UserError(`${svc.state.file} (state of ${service}) not found in the repository`);
    const value = readStateValue(svc.state.file, text, svc.state.key);
    return servingTargets(svc, value).map((target) => ({ service, svc, target }));
  });
  const verifications: { service: string; target: string; report: VerifyReport }[] = await step(
    deps.io,
    state.steps,
    'verify',
    deps.now,
    () =>
      Promise.all(
        runs.map(async ({ service, svc, target }) => ({
          service,
          target,
          report: await deps.verify(svc.verify.checks, {
            target,
            timeoutMs: parseDuration(svc.verify.timeout),
          }),
        })),
      ),
  );
  const failed = verifications.filter((v) => !v.report.ok).map((v) => `${v.service} on ${v.target}`);
  const failure = failed.length > 0 ? `verification failed for ${failed.join(', ')}` : undefined;
  const body = [
    `### gitops-failover verify: ${failure ? 'FAILED' : 'all healthy'}`,
    renderVerifications(verifications),
    // Failure text can carry terraform output or probe answers: inert (no markup, mentions, markers).
    failure ? `**What failed:** ${inert(failure, FAILURE_ECHO_LIMIT)}` : '',
    `<details><summary>Steps</summary>\n\n${renderSteps(state.steps)}\n\n</details>`,
  ]
    .filter(Boolean)
    .join('\n\n');
  // The summary first: if GitHub refuses the report, the result is still readable in the job.
  await deps.io.summary(body);
  if (deps.github) {
    await step(deps.io, state.steps, 'report to GitHub', deps.now, () =>
      deps.github!.createCheckRun({
        name: 'gitops-failover/health',
        headSha: deps.event.sha,
        conclusion: failure ? 'failure' : 'success',
        output: { title: failure ?? 'All services healthy on their active targets', summary: body },
        detailsUrl: deps.event.runUrl,
      }),
    );
  }
  return {
    ok: !failure,
    changedServices: [],
    planSummary: '',
    verified: !failure,
    rtoSeconds: undefined,
    failure,
  };
}
