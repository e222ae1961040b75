// Sticky comments: one comment per (issue, key), found again by a hidden marker and edited in place
// (Atlantis' lesson: no comment spam). Bodies over GitHub's 65,536-character limit continue in
// further comments keyed `<key>:2`, `<key>:3`, ...
import type { PortContext } from './client.js';

export const COMMENT_LIMIT = 65_536;

export type CommentAction = 'created' | 'updated' | 'unchanged';

interface IssueComment {
  id: number;
  body: string;
  user?: { login?: string; type?: string } | null;
}

/** The hidden marker that identifies a sticky comment. */
export function commentMarker(key: string): string {
  return `<!-- gitops-failover:comment:${key} -->`;
}

/** Creates, updates (only when the text changed) or leaves alone the sticky comment `key`. */
export async function ensureComment(
  ctx: PortContext,
  issueNumber: number,
  key: string,
  body: string,
): Promise<{ id: number; action: CommentAction }> {
  const existing = (await listComments(ctx, issueNumber)).filter((c) => isOurs(ctx, c));
  const parts = splitBody(key, body);
  let first: { id: number; action: CommentAction } | undefined;
  const actions: CommentAction[] = [];
  for (const [index, part] of parts.entries()) {
    const partKey = index === 0 ? key : `${key}:${index + 1}`;
    const found = existing.find((c) => c.body.includes(commentMarker(partKey)));
    const result = await upsert(ctx, issueNumber, found, part);
    actions.push(result.action);
    first ??= result;
  }
  // A body that shrank leaves continuation comments behind; they would show stale text, so they go.
  for (let n = parts.length + 1; ; n++) {
    const stale = existing.find((c) => c.body.includes(commentMarker(`${key}:${n}`)));
    if (!stale) break;
    await ctx.gh.request('DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}', {
      owner: ctx.owner,
      repo: ctx.repo,
      comment_id: stale.id,
    });
    actions.push('updated');
  }
  const action: CommentAction = actions.includes('created')
    ? 'created'
    : actions.includes('updated')
      ? 'updated'
      : 'unchanged';
  // parts always has at least one element, so first is set.
  return { id: first?.id ?? 0, action };
}

/** Plain (non-sticky) comment. */
export async function postComment(
  ctx: PortContext,
  issueNumber: number,
  body: string,
): Promise<{ id: number; url: string }> {
  const res = await ctx.gh.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
    owner: ctx.owner,
    repo: ctx.repo,
    issue_number: issueNumber,
    body:
      body.length > COMMENT_LIMIT
        ? `${body.slice(0, COMMENT_LIMIT - 40)}\n\n… (cut at GitHub's size limit)`
        : body,
  });
  return { id: res.data.id, url: res.data.html_url };
}

/** Splits a body into comment-sized parts, each carrying its own marker. */
export function splitBody(key: string, body: string): string[] {
  const parts: string[] = [];
  let rest = body;
  let index = 0;
  do {
    const partKey = index === 0 ? key : `${key}:${index + 1}`;
    const head = `${commentMarker(partKey)}\n${index === 0 ? '' : `_(continued, part ${index + 1})_\n\n`}`;
    const room = COMMENT_LIMIT - head.length;
    let cut = rest.length <= room ? rest.length : rest.lastIndexOf('\n', room);
    // Prefer cutting at a line end; fall back to a hard cut when a single line is longer than a part.
    if (cut <= room / 2) cut = room;
    parts.push(head + rest.slice(0, cut));
    rest = rest.slice(cut);
    index++;
  } while (rest.length > 0);
  return parts;
}

async function upsert(
  ctx: PortContext,
  issueNumber: number,
  found: IssueComment | undefined,
  body: string,
): Promise<{ id: number; action: CommentAction }> {
  if (found) {
    if (found.body === body) return { id: found.id, action: 'unchanged' };
    await ctx.gh.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', {
      owner: ctx.owner,
      repo: ctx.repo,
      comment_id: found.id,
      body,
    });
    return { id: found.id, action: 'updated' };
  }
  const res = await ctx.gh.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
    owner: ctx.owner,
    repo: ctx.repo,
    issue_number: issueNumber,
    body,
  });
  return { id: res.data.id as number, action: 'created' };
}

async function listComments(ctx: PortContext, issueNumber: number): Promise<IssueComment[]> {
  const all: IssueComment[] = [];
  for (let page = 1; ; page++) {
    const res = await ctx.gh.request('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      owner: ctx.owner,
      repo: ctx.repo,
      issue_number: issueNumber,
      per_page: 100,
      page,
    });
    const batch = (res.data ?? []) as IssueComment[];
    all.push(...batch.map((c) => ({ ...c, body: c.body ?? '' })));
    if (batch.length < 100) return all;
  }
}

/** A marker alone does not make a comment ours: anyone can paste it. Match our login when known, else bots. */
function isOurs(ctx: PortContext, c: IssueComment): boolean {
  if (ctx.selfLogin) return c.user?.login === ctx.selfLogin;
  return c.user?.type === 'Bot' || (c.user?.login ?? '').endsWith('[bot]');
}
