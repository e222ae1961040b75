// REST routes of issues (plain issues and pull requests through the issues API), their comments,
// reactions and labels.
import {
  commentJson,
  issueJson,
  labelJson,
  labelsJson,
  pullAsIssueJson,
  reactionJson,
} from '../json/issues.js';
import { APP_BOT, type Comment, type Issue, type Pull, type RepoState } from '../state.js';
import {
  bodyTooLong,
  type Call,
  fail,
  noContent,
  notFound,
  ok,
  page,
  type Reply,
  type RepoRoute,
} from './common.js';

const R = '/repos/{owner}/{repo}';

export const issueRoutes: RepoRoute[] = [
  ['GET', `${R}/issues`, 'issues', listIssues],
  ['GET', `${R}/issues/{issue_number}`, 'issues', readIssue],
  ['POST', `${R}/issues`, 'issues', createIssue],
  ['PATCH', `${R}/issues/{issue_number}`, 'issues', editIssue],
  ['GET', `${R}/issues/{issue_number}/comments`, 'issues', listComments],
  ['POST', `${R}/issues/{issue_number}/comments`, 'issues', createComment],
  [
    'PATCH',
    `${R}/issues/comments/{comment_id}`,
    'issues',
    (c, r) => withComment(c, r, (x) => editComment(c, r, x)),
  ],
  [
    'DELETE',
    `${R}/issues/comments/{comment_id}`,
    'issues',
    (c, r) => (r.comments.delete(Number(c.params[0])) ? noContent() : notFound()),
  ],
  [
    'POST',
    `${R}/issues/comments/{comment_id}/reactions`,
    'issues',
    (c, r) => withComment(c, r, (x) => react(c, x)),
  ],
  [
    'GET',
    `${R}/labels`,
    'issues',
    (c, r) => ok(page(c.req, [...r.labels.values()]).map((l) => labelJson(c.site, r, l))),
  ],
  ['POST', `${R}/labels`, 'issues', createLabel],
  ['POST', `${R}/issues/{issue_number}/labels`, 'issues', addLabels],
];

function listIssues(c: Call, r: RepoState): Reply {
  const state = c.req.query.get('state') ?? 'open';
  const wanted = (c.req.query.get('labels') ?? '')
    .split(',')
    .filter(Boolean)
    .map((w) => w.toLowerCase());
  const all: (Issue | Pull)[] = [...r.issues.values(), ...r.pulls.values()];
  const shown = all
    .filter((i) => state === 'all' || i.state === state)
    .filter((i) => wanted.every((w) => i.labels.some((l) => l.toLowerCase() === w)))
    .sort((a, b) => b.number - a.number);
  return ok(page(c.req, shown).map((i) => asIssueJson(c, r, i)));
}

function asIssueJson(c: Call, r: RepoState, i: Issue | Pull) {
  return 'head' in i ? pullAsIssueJson(c.site, r, i) : issueJson(c.site, r, i);
}

function readIssue(c: Call, r: RepoState): Reply {
  const n = Number(c.params[0]);
  const found = r.issues.get(n) ?? r.pulls.get(n);
  return found ? ok(asIssueJson(c, r, found)) : notFound();
}

function createIssue(c: Call, r: RepoState): Reply {
  const { title, body, labels } = c.req.body;
  if (typeof title !== 'string' || title.trim() === '')
    return fail(422, 'Validation Failed: title is missing', [
      { resource: 'Issue', code: 'missing_field', field: 'title' },
    ]);
  const text = typeof body === 'string' ? body : '';
  const names = Array.isArray(labels) ? labels.map(String) : [];
  return (
    bodyTooLong(text) ??
    ok(issueJson(c.site, r, c.s.openIssue(r, { title, body: text, labels: names }, APP_BOT)), 201)
  );
}

/** Like GitHub, the issues API edits a pull request's title, body, labels and state too. */
function editIssue(c: Call, r: RepoState): Reply {
  const n = Number(c.params[0]);
  const target = r.issues.get(n) ?? r.pulls.get(n);
  if (!target) return notFound();
  const { body, title, state, labels } = c.req.body;
  const refused = bodyTooLong(body);
  if (refused) return refused;
  if (typeof body === 'string') target.body = body;
  if (typeof title === 'string') target.title = title;
  if (Array.isArray(labels)) target.labels = [...new Set(labels.map(String))];
  if ('head' in target) {
    if (state === 'closed') c.s.closePull(r, target);
    return ok(pullAsIssueJson(c.site, r, target));
  }
  setIssueState(c, target, state);
  target.updatedAt = c.s.now();
  return ok(issueJson(c.site, r, target));
}

function setIssueState(c: Call, issue: Issue, state: unknown): void {
  if (state !== 'open' && state !== 'closed') return;
  if (state === 'closed' && issue.state === 'open') issue.closedAt = c.s.now();
  if (state === 'open') issue.closedAt = undefined;
  issue.state = state;
}

function listComments(c: Call, r: RepoState): Reply {
  const all = [...r.comments.values()].filter((x) => x.issueNumber === Number(c.params[0]));
  return ok(page(c.req, all).map((x) => commentJson(c.site, r, x)));
}

function createComment(c: Call, r: RepoState): Reply {
  const n = Number(c.params[0]);
  if (!r.pulls.has(n) && !r.issues.has(n)) return notFound();
  const body = String(c.req.body.body ?? '');
  const refused = bodyTooLong(body, 'IssueComment');
  if (refused) return refused;
  const comment = c.s.addComment(r, n, body, c.req.actor ?? APP_BOT);
  c.s.events.emit('issue_comment', { repo: r, comment });
  return ok(commentJson(c.site, r, comment), 201);
}

function withComment(c: Call, r: RepoState, then: (x: Comment) => Reply): Reply {
  const comment = r.comments.get(Number(c.params[0]));
  return comment ? then(comment) : notFound();
}

function editComment(c: Call, r: RepoState, comment: Comment): Reply {
  const body = String(c.req.body.body ?? '');
  const refused = bodyTooLong(body, 'IssueComment');
  if (refused) return refused;
  comment.body = body;
  comment.updatedAt = c.s.now();
  return ok(commentJson(c.site, r, comment));
}

/** One reaction per person and content: reacting again answers the existing one with 200. */
function react(c: Call, comment: Comment): Reply {
  const content = String(c.req.body.content ?? '');
  const user = c.req.actor ?? APP_BOT;
  const existing = comment.reactions.find((x) => x.content === content && x.user.login === user.login);
  if (existing) return ok(reactionJson(c.site, existing));
  const reaction = { id: c.s.id(), content, user, createdAt: c.s.now() };
  comment.reactions.push(reaction);
  return ok(reactionJson(c.site, reaction), 201);
}

function createLabel(c: Call, r: RepoState): Reply {
  const name = String(c.req.body.name ?? '');
  if ([...r.labels.keys()].some((k) => k.toLowerCase() === name.toLowerCase()))
    return fail(422, 'Validation Failed', [{ resource: 'Label', code: 'already_exists', field: 'name' }]);
  const description = typeof c.req.body.description === 'string' ? c.req.body.description : undefined;
  const label = {
    name,
    color: String(c.req.body.color ?? 'ededed'),
    ...(description ? { description } : {}),
  };
  r.labels.set(name, label);
  return ok(labelJson(c.site, r, label), 201);
}

function addLabels(c: Call, r: RepoState): Reply {
  const n = Number(c.params[0]);
  const target = r.pulls.get(n) ?? r.issues.get(n);
  if (!target) return notFound();
  for (const name of (c.req.body.labels as string[] | undefined) ?? []) {
    // Like GitHub: adding an unknown label to an issue creates it.
    if (!r.labels.has(name)) r.labels.set(name, { name, color: 'ededed' });
    if (!target.labels.includes(name)) target.labels.push(name);
  }
  return ok(labelsJson(c.site, r, target.labels));
}
