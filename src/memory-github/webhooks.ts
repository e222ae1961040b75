// Webhook deliveries from the in-memory GitHub, shaped as GitHub sends them (headers, HMAC signature,
// the payload fields the bot and a runner read): `push`, `check_run.completed`, `issue_comment.created`.
// Deliveries to one receiver go out one after another in event order, like GitHub's per-hook queue.
import { createHmac, randomUUID } from 'node:crypto';
import type { Comment, DoubleState, Person, RepoState } from './state.js';

export interface WebhookDelivery {
  name: 'push' | 'check_run' | 'issue_comment';
  id: string;
  payload: Record<string, unknown>;
}

function repository(repo: RepoState) {
  return {
    id: 1,
    node_id: repo.id,
    name: repo.name,
    full_name: `${repo.owner}/${repo.name}`,
    owner: { login: repo.owner, type: 'Organization' },
    default_branch: repo.defaultBranch,
    html_url: `https://github.com/${repo.owner}/${repo.name}`,
  };
}

function common(repo: RepoState, sender: Person) {
  return { repository: repository(repo), installation: { id: repo.installationId }, sender };
}

function commentPayload(repo: RepoState, comment: Comment): Record<string, unknown> {
  const pull = repo.pulls.get(comment.issueNumber);
  const url = `https://github.com/${repo.owner}/${repo.name}/pull/${comment.issueNumber}`;
  return {
    action: 'created',
    issue: {
      number: comment.issueNumber,
      title: pull?.title ?? '',
      state: pull?.state ?? 'open',
      user: pull?.user,
      pull_request: pull ? { url, html_url: url } : undefined,
    },
    comment: {
      id: comment.id,
      body: comment.body,
      user: comment.user,
      html_url: `${url}#issuecomment-${comment.id}`,
      created_at: comment.createdAt,
      performed_via_github_app:
        comment.user.type === 'Bot' ? { slug: comment.user.login.replace(/\[bot\]$/, '') } : null,
    },
    ...common(repo, comment.user),
  };
}

/** Calls `handler` with every delivery, in order. Returns the unsubscribe function. */
export function onWebhook(state: DoubleState, handler: (d: WebhookDelivery) => void): () => void {
  const push: Parameters<typeof state.events.on<'push'>>[1] = ({ repo, ref, before, after, pusher }) =>
    handler({
      name: 'push',
      id: randomUUID(),
      payload: { ref, before, after, pusher: { name: pusher.login }, ...common(repo, pusher) },
    });
  const checkRun: Parameters<typeof state.events.on<'check_run'>>[1] = ({ repo, run }) =>
    handler({
      name: 'check_run',
      id: randomUUID(),
      payload: {
        action: 'completed',
        check_run: { ...run, url: run.html_url },
        ...common(repo, { login: 'gitops-failover[bot]', type: 'Bot' }),
      },
    });
  const comment: Parameters<typeof state.events.on<'issue_comment'>>[1] = ({ repo, comment: c }) =>
    handler({ name: 'issue_comment', id: randomUUID(), payload: commentPayload(repo, c) });
  state.events.on('push', push);
  state.events.on('check_run', checkRun);
  state.events.on('issue_comment', comment);
  return () => {
    state.events.off('push', push);
    state.events.off('check_run', checkRun);
    state.events.off('issue_comment', comment);
  };
}

export interface WebhookSender {
  /** Settles once every delivery queued so far has been answered. */
  idle(): Promise<void>;
  /** Deliveries that failed (no answer or not 2xx), with the reason. */
  failures: { name: string; error: string }[];
  stop(): void;
}

/** Posts every delivery to `url`, signed with `secret` (X-Hub-Signature-256), one at a time. */
export function deliverWebhooks(state: DoubleState, url: string, secret: string): WebhookSender {
  let queue: Promise<void> = Promise.resolve();
  const failures: WebhookSender['failures'] = [];
  const send = async (d: WebhookDelivery) => {
    const body = JSON.stringify(d.payload);
    const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': d.name,
          'x-github-delivery': d.id,
          'x-hub-signature-256': signature,
          'user-agent': 'GitHub-Hookshot/memory',
        },
        body,
        signal: AbortSignal.timeout(60_000),
      });
      await res.body?.cancel().catch(() => undefined);
      if (!res.ok) failures.push({ name: d.name, error: `HTTP ${res.status}` });
    } catch (err: unknown) {
      failures.push({ name: d.name, error: err instanceof Error ? err.message : String(err) });
    }
  };
  const stop = onWebhook(state, (d) => {
    queue = queue.then(() => send(d));
  });
  return { idle: () => queue, failures, stop };
}
