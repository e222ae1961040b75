// Wires the Action's results into the results loop: check_run.completed (the `gitops-failover/verify`
// check run) and workflow_run.completed (a run that failed before it could report). Logic in
// src/service/results.ts.
import { createResultsService } from '../src/service/results.js';
import { inEventScope } from './event-scope.js';
import { type BotContext, serviceDeps } from './index.js';

export function registerResultsLoop(ctx: BotContext): void {
  const service = createResultsService({
    ...serviceDeps(ctx),
    ...(ctx.statusIssues ? { statusIssues: ctx.statusIssues } : {}),
  });
  ctx.app.on('check_run.completed', (context) =>
    inEventScope(context, ctx.installations, async () => {
      const { check_run: run, repository } = context.payload;
      const outcome = await service.onCheckRun({
        owner: repository.owner.login,
        repo: repository.name,
        name: run.name,
        app: run.app ? { slug: run.app.slug ?? null } : null,
        headSha: run.head_sha,
        conclusion: run.conclusion,
        completedAt: run.completed_at,
        output: { summary: run.output?.summary ?? null, text: run.output?.text ?? null },
        url: run.html_url ?? run.url,
      });
      if (outcome.handled) context.log.info({ event: 'results', ...outcome }, 'results');
    }),
  );
  ctx.app.on('workflow_run.completed', (context) =>
    inEventScope(context, ctx.installations, async () => {
      const { workflow_run: run, repository } = context.payload;
      const outcome = await service.onWorkflowRun({
        owner: repository.owner.login,
        repo: repository.name,
        conclusion: run.conclusion,
        headSha: run.head_sha,
        runUrl: run.html_url,
        name: run.name ?? '',
        headBranch: run.head_branch,
        defaultBranch: repository.default_branch,
      });
      if (outcome.handled) context.log.info({ event: 'results', ...outcome }, 'results');
    }),
  );
}
