// Wires issue_comment.created to the ChatOps service. Only `.created` is subscribed: editing a comment
// never runs a command (DESIGN §6). Everything else lives in src/service/commands.ts.
import { createCommandService } from '../src/service/commands.js';
import { inEventScope } from './event-scope.js';
import { type BotContext, serviceDeps } from './index.js';

export function registerChatOps(ctx: BotContext): void {
  const service = createCommandService(serviceDeps(ctx));
  ctx.app.on('issue_comment.created', (context) =>
    inEventScope(context, ctx.installations, async () => {
      const { comment, issue, repository, sender } = context.payload;
      const outcome = await service.handle({
        owner: repository.owner.login,
        repo: repository.name,
        issueNumber: issue.number,
        isPullRequest: issue.pull_request !== undefined && issue.pull_request !== null,
        commentId: comment.id,
        commentUrl: comment.html_url,
        body: comment.body ?? '',
        sender: { login: sender.login, type: sender.type },
        ...(comment.performed_via_github_app
          ? { appLogin: `${comment.performed_via_github_app.slug}[bot]` }
          : {}),
      });
      if (outcome.handled)
        context.log.info(
          { event: 'chatops', verb: outcome.verb, pr: outcome.pr, by: sender.login },
          'chatops',
        );
    }),
  );
}
