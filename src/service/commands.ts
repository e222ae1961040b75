// ChatOps: one new comment → at most one reply. Orchestration only (parsing, access and policy are the
// core's, GitHub calls the port's). No Probot import: the bot wires `issue_comment.created` to handle().
//
// Order matters for safety and cost: a cheap text pre-filter first (most comments are not for us and
// cost no API call), then the config from the DEFAULT branch (a PR branch never judges itself), then the
// sender's permission before anything visible happens. A command from someone with the permission is
// the decision, so its PR is merged the way the port merges (directly when clean, GitHub auto-merge when
// branch protection wants reviews or checks first, a clear report when rules refuse); repos that want a
// second pair of eyes on every manual failover set `chatops.merge: false`.
import { parseComment, renderHelp } from '../core/chatops/index.js';
import { PERMISSIONS } from '../core/config/schema.js';
import { describeThrown } from '../core/errors.js';
import { checkAccess, decideCommand, healthPairs, servicesOfCommand } from '../core/policy/index.js';
import { planPr, renderStatus } from '../core/render/index.js';
import { inert } from '../core/render/text.js';
import type { Actor, ChatCommand, Decision, FailoverConfig, RepoView } from '../core/types.js';
import type { WorldView } from '../core/world.js';
import { type GitHubPort, MissingPermissionError, type RepoSnapshot } from '../github/index.js';
import type { ServiceDeps } from './alerts.js';
import { type Background, settleBackground } from './background.js';
import { explainDecision, isBotSender, mention, mightBeCommand } from './command-text.js';
import { branchDeletion, openFailoverPr } from './open-pr.js';
import { createReplyLimiter, type ReplyLimiter } from './reply-limit.js';
import { createKeyedQueue } from './single-flight.js';
import { createWorldViews, type WorldViews } from './world-view.js';

export type CommandPort = Pick<
  GitHubPort,
  | 'readSnapshot'
  | 'ensureFailoverPr'
  | 'mergePr'
  | 'addLabels'
  | 'closePr'
  | 'comment'
  | 'react'
  | 'getPermission'
  | 'isTeamMember'
>;

export interface CommentEvent {
  owner: string;
  repo: string;
  /** The issue or PR the comment is on. */
  issueNumber: number;
  isPullRequest: boolean;
  commentId: number;
  commentUrl?: string;
  body: string;
  sender: { login: string; type?: string };
  /** The app's own bot login (`<slug>[bot]`), never obeyed. */
  appLogin?: string;
}

export type CommandOutcome =
  | { handled: false; why: string }
  | { handled: true; verb: string; reply?: string; pr?: number; url?: string; created?: boolean };

export interface CommandServiceDeps extends ServiceDeps<CommandPort> {
  /** Observes work off the reply's path (the 👀 reaction, labels); failures are logged either way. */
  background?: Background;
}

export interface CommandService {
  handle(ev: CommentEvent): Promise<CommandOutcome>;
}

export function createCommandService(deps: CommandServiceDeps): CommandService {
  // Commands for one repo run one after the other: a second `/failover` right after the first sees its PR
  // (and says so) instead of racing it to the branch lock.
  const perRepo = createKeyedQueue();
  const refusals = createReplyLimiter(deps.now);
  const views = createWorldViews(deps.world);
  return {
    async handle(ev) {
      if (isBotSender(ev.sender, ev.appLogin)) return { handled: false, why: 'sender is a bot' };
      if (!mightBeCommand(ev.body)) return { handled: false, why: 'no command line' };
      return perRepo.run(`${ev.owner}/${ev.repo}`.toLowerCase(), () => settle(deps, refusals, views, ev));
    },
  };
}

function settle(
  deps: CommandServiceDeps,
  refusals: ReplyLimiter,
  views: WorldViews,
  ev: CommentEvent,
): Promise<CommandOutcome> {
  // Off-path work (👀, labels) runs beside the reply; the handler still waits for it before it returns.
  return settleBackground(deps.log, deps.background, (background) =>
    handleComment(deps, refusals, views, ev, background),
  );
}

/** The health a comment's command needs: the targets of the service it names (read with that config). */
function commandHealth(body: string) {
  return (config: FailoverConfig) => {
    const parsed = parseComment(body, config, {});
    return parsed.type === 'command' ? healthPairs(config, servicesOfCommand(config, parsed.command)) : [];
  };
}

async function handleComment(
  deps: CommandServiceDeps,
  refusals: ReplyLimiter,
  views: WorldViews,
  ev: CommentEvent,
  background: Background,
): Promise<CommandOutcome> {
  const port = await deps.portFor(ev.owner, ev.repo);
  const { snap, world } = await views.read(port, ev.owner, ev.repo, commandHealth(ev.body));
  const config = snap.config;
  if (!config && snap.configError && /(^|[\r\n]) {0,3}\/fail(over|back)\b/i.test(ev.body)) {
    // A broken config stops every command; say so to someone who could fix it (the schema's default
    // permission, since the config that would name another cannot be read), and to nobody else.
    const permission = await port.getPermission(ev.sender.login);
    if (PERMISSIONS.indexOf(permission) >= PERMISSIONS.indexOf('write')) {
      const text = `\`.github/failover.yml\` on ${snap.view.defaultBranch} is invalid, so no command runs until it is fixed:\n\n${snap.configError.message}`;
      await port.comment(ev.issueNumber, `${mention(ev.sender.login)}: ${text}`);
      return { handled: true, verb: 'config-error', reply: text };
    }
  }
  if (!config) {
    // Nothing to judge with: stay silent on repos without config, but leave a log line.
    deps.log.warn({
      event: 'chatops_no_config',
      repo: `${ev.owner}/${ev.repo}`,
      error: snap.configError?.message,
    });
    return { handled: false, why: snap.configError ? 'config error' : 'no config' };
  }
  const onPr = ev.isPullRequest ? snap.view.openPrs.find((p) => p.number === ev.issueNumber) : undefined;
  const parsed = parseComment(ev.body, config, onPr ? { prServices: onPr.marker.services } : {});
  if (parsed.type === 'ignore') return { handled: false, why: 'not a command' };

  const reply = (text: string) => port.comment(ev.issueNumber, `${mention(ev.sender.login)}: ${text}`);
  let actor: Actor;
  try {
    actor = await actorFor(port, config, ev.sender.login);
  } catch (thrown: unknown) {
    // Without the permission no membership can be read, so nobody could ever run a command: say what to grant.
    if (!(thrown instanceof MissingPermissionError)) throw thrown;
    const text = `${thrown.message}. Nothing was changed.`;
    await reply(text);
    deps.log.error({ event: 'chatops_permission', repo: `${ev.owner}/${ev.repo}`, error: thrown.message });
    return { handled: true, verb: 'refused', reply: text };
  }
  const access = checkAccess(actor, config);
  if (!access.ok) {
    // One refusal per user and repo per hour: repeating the command gets no further reply.
    if (!refusals.allow(`${ev.owner}/${ev.repo}#${actor.login}`.toLowerCase())) {
      deps.log.info({ event: 'chatops_refused_quietly', repo: `${ev.owner}/${ev.repo}`, by: actor.login });
      return { handled: false, why: 'refused earlier this hour; no second reply' };
    }
    const text = `this needs \`${config.chatops.min_permission}\` permission${
      config.chatops.teams.length > 0
        ? ` and membership of ${config.chatops.teams.map((t) => `\`${t}\``).join(', ')}`
        : ''
    } on ${ev.owner}/${ev.repo}; seen: ${access.seen}. Nothing was changed.`;
    await reply(text);
    deps.log.info({
      event: 'chatops_refused',
      repo: `${ev.owner}/${ev.repo}`,
      by: actor.login,
      seen: access.seen,
    });
    return { handled: true, verb: 'refused', reply: text };
  }
  background(port.react(ev.commentId, 'eyes'), 'reaction');
  try {
    if (parsed.type === 'reply') {
      await reply(parsed.message);
      return { handled: true, verb: 'reply', reply: parsed.message };
    }
    return await runCommand(deps, port, { snap, world }, config, actor, ev, parsed, reply, background);
  } catch (thrown: unknown) {
    deps.log.error({
      event: 'chatops_failed',
      repo: `${ev.owner}/${ev.repo}`,
      error: describeThrown(thrown),
    });
    const text =
      'the command stopped on a GitHub error before it finished. Repeat it in a minute: every step is idempotent, nothing is done twice.';
    await reply(text).catch(() => undefined);
    return { handled: true, verb: 'error', reply: text };
  }
}

async function actorFor(port: CommandPort, config: FailoverConfig, login: string): Promise<Actor> {
  const teams = config.chatops.teams;
  const [permission, memberships] = await Promise.all([
    port.getPermission(login),
    Promise.all(teams.map(async (t) => ((await port.isTeamMember(t, login)) ? t : undefined))),
  ]);
  return { login, permission, teams: memberships.filter((t): t is string => t !== undefined) };
}

async function runCommand(
  deps: CommandServiceDeps,
  port: CommandPort,
  { snap, world }: { snap: RepoSnapshot; world: WorldView },
  config: FailoverConfig,
  actor: Actor,
  ev: CommentEvent,
  { command, line }: { command: ChatCommand; line: string },
  reply: (text: string) => Promise<unknown>,
  background: Background,
): Promise<CommandOutcome> {
  const now = new Date(deps.now()).toISOString();
  const view: RepoView = snap.view;
  if (command.verb === 'help') {
    const text = renderHelp(config);
    await reply(text);
    return { handled: true, verb: 'help', reply: text };
  }
  if (command.verb === 'status') {
    const text = `status of ${ev.owner}/${ev.repo} (${view.defaultBranch} at \`${view.headSha.slice(0, 7)}\`):\n\n${renderStatus(config, view, now)}`;
    await reply(text);
    return { handled: true, verb: 'status', reply: text };
  }
  const decision = decideCommand({
    command,
    actor,
    config,
    repo: view,
    now,
    world,
    ...(ev.isPullRequest ? { prNumber: ev.issueNumber } : {}),
    ...(ev.commentUrl ? { commentUrl: ev.commentUrl } : {}),
  });
  audit(deps, ev, command.verb, decision);
  deps.metrics?.decision(decision.action, decision.trace.find((r) => !r.ok && !r.forced)?.rule ?? 'command');
  if (command.verb === 'cancel') {
    if (decision.action === 'close-pr' && decision.pr !== undefined) {
      // closePr's comment is the one reply: it names who cancelled. The branch goes only when it holds
      // nothing but the app's own commit; commits someone else pushed are never deleted.
      const deletion = branchDeletion(snap, decision.pr);
      const branch = view.openPrs.find((p) => p.number === decision.pr)?.branch ?? 'its branch';
      const text = deletion
        ? `cancelled by ${mention(actor.login)}: closing this failover PR without merging and deleting its branch; the desired state stays as it is.`
        : `cancelled by ${mention(actor.login)}: closing this failover PR without merging. The branch \`${branch}\` is kept because it holds commits someone else pushed; delete it yourself when they are no longer needed. The desired state stays as it is.`;
      await port.closePr(decision.pr, `${mention(actor.login)}: ${text}`, deletion);
      return { handled: true, verb: 'cancel', reply: text, pr: decision.pr };
    }
    const text = `${inert(decision.reasons[0] ?? 'nothing to cancel')}. \`/failover cancel\` works in a comment on a pending failover PR.`;
    await reply(text);
    return { handled: true, verb: 'cancel', reply: text };
  }
  if (decision.action === 'update-pr' && decision.pr !== undefined) {
    const existing = view.openPrs.find((p) => p.number === decision.pr);
    const text =
      `PR #${decision.pr}${existing ? ` (${existing.url})` : ''} already does this; merge it to apply. ${decision.reasons
        .slice(1)
        .map((r) => inert(r))
        .join(' ')}`.trim();
    await reply(text);
    return {
      handled: true,
      verb: command.verb,
      reply: text,
      pr: decision.pr,
      ...(existing ? { url: existing.url } : {}),
      created: false,
    };
  }
  if (decision.action !== 'merge' && decision.action !== 'open-pr') {
    const text = explainDecision(decision);
    await reply(text);
    return { handled: true, verb: command.verb, reply: text };
  }
  const plan = planPr(decision, {
    config,
    repo: view,
    now,
    receivedAt: now,
    trigger: {
      type: 'command',
      by: actor.login,
      command: line.trim(),
      ...(ev.commentUrl ? { commentUrl: ev.commentUrl } : {}),
    },
  });
  plan.merge = decision.action === 'merge' && config.chatops.merge;
  const pr = await openFailoverPr(port, plan, snap, {
    kind: decision.kind,
    background,
    prOpened: (kind) => deps.metrics?.prOpened(kind),
  });
  const merged = plan.merge ? await port.mergePr(pr.number) : undefined;
  if (merged) deps.metrics?.prMerged(merged.outcome);
  const next = nextStep(command.verb, merged);
  const forced =
    plan.marker.forced
      ?.map((f) => ` Forced rule \`${f.rule}\` (reason: ${inert(f.reason)}), recorded in the PR.`)
      .join('') ?? '';
  const text = `${pr.created ? 'opened' : 'found'} PR #${pr.number}: ${pr.url} (${plan.title}). ${next}${forced}`;
  await reply(text);
  return { handled: true, verb: command.verb, reply: text, pr: pr.number, url: pr.url, created: pr.created };
}

/** What happens next, in one sentence, after the PR was opened (and perhaps merged). */
function nextStep(
  verb: ChatCommand['verb'],
  merged: { outcome: string; message: string } | undefined,
): string {
  const after =
    verb === 'drill'
      ? 'once the Action verifies it, the bot opens and merges the failback and posts the RTO of both legs on that PR.'
      : 'the Action then applies and verifies it.';
  if (!merged) return `Merge it to apply: ${after}`;
  if (merged.outcome === 'merged') return `Merged: ${after}`;
  if (merged.outcome === 'auto-merge') {
    return `Auto-merge is on: it merges as soon as branch protection is satisfied (reviews, checks); ${after}`;
  }
  if (merged.outcome === 'queued')
    return `In the merge queue: it merges when the queue's checks pass; ${after}`;
  return `Not merged: ${merged.message}. Merge it by hand: ${after}`;
}

function audit(deps: CommandServiceDeps, ev: CommentEvent, verb: string, d: Decision): void {
  deps.log.info(
    {
      event: 'decision',
      repo: `${ev.owner}/${ev.repo}`,
      service: d.service,
      action: d.action,
      from: d.from,
      to: d.to,
      pr: d.pr,
      reasons: d.reasons,
      trigger: { type: 'command', by: ev.sender.login, verb, comment: ev.commentUrl },
    },
    'decision',
  );
}
