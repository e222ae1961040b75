// Wires pull_request.closed (a person merged or closed a failover PR) to src/service/pr-closed.ts.
import { createPrClosedService } from '../src/service/pr-closed.js';
import { inEventScope } from './event-scope.js';
import { type BotContext, serviceDeps } from './index.js';

export function registerPullRequests(ctx: BotContext): void {
  const service = createPrClosedService(serviceDeps(ctx));
  ctx.app.on('pull_request.closed', (context) =>
    inEventScope(context, ctx.installations, async () => {
      const { pull_request: pr, repository, sender } = context.payload;
      const outcome = await service.onClosed({
        owner: repository.owner.login,
        repo: repository.name,
        number: pr.number,
        body: pr.body ?? '',
        headRef: pr.head.ref,
        sameRepo: pr.head.repo?.full_name === repository.full_name,
        merged: pr.merged === true,
        mergedAt: pr.merged_at,
        closedAt: pr.closed_at,
        by: pr.merged ? (pr.merged_by ?? sender) : sender,
      });
      if (outcome.handled) context.log.info({ event: 'pull_request', ...outcome }, 'pull_request');
    }),
  );
}
