// The REST subset of GitHub the port (and Probot's installation auth) uses, with GitHub's status codes.
import {
  APP_BOT,
  type DoubleState,
  type Issue,
  type Person,
  type Pull,
  type RepoState,
  type Role,
} from './state.js';

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RestRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: Record<string, unknown>;
  baseUrl: string;
  /** The request carries the installation token the double minted: the app's permissions apply. */
  asApp?: boolean;
  /** The person whose token made the call (DoubleState.people); the app otherwise. */
  actor?: Person;
  /** The bearer token of the request, if any. */
  token?: string;
}

/**
 * The app a check run is created by, as GitHub records it in `check_run.app`: the app when it uses its
 * installation token, GitHub Actions for any other token (a workflow's GITHUB_TOKEN).
 */
function checkRunApp(asApp: boolean | undefined): Record<string, unknown> {
  return asApp
    ? { id: 1, slug: 'gitops-failover', name: 'gitops-failover', owner: { login: 'acme' } }
    : { id: 15368, slug: 'github-actions', name: 'GitHub Actions', owner: { login: 'github' } };
}

type Handler = (s: DoubleState, req: RestRequest, m: string[], repo: RepoState) => Reply;
type AppHandler = (s: DoubleState, req: RestRequest, m: string[]) => Reply;
/** The installation permission a route needs (GET: read, anything else: write); none for app-level routes. */
type Needs = string | undefined;

const notFound: Reply = { status: 404, body: { message: 'Not Found' } };
const ok = (body: unknown, status = 200): Reply => ({ status, body });
const fail = (status: number, message: string): Reply => ({ status, body: { message } });

const repoRoutes: [string, RegExp, Needs, Handler][] = [
  ['GET', /^$/, 'metadata', (_s, req, _m, r) => ok(repoJson(r, req.baseUrl))],
  [
    'GET',
    /^\/installation$/,
    undefined,
    (_s, _req, _m, r) =>
      ok({ id: r.installationId, account: { login: r.owner }, app_slug: 'gitops-failover' }),
  ],
  [
    'GET',
    /^\/pulls$/,
    'pull_requests',
    (s, req, _m, r) => {
      // `head=owner:branch`: a fork's PR has the fork's owner, so `acme:failover/x` never finds it.
      const [headOwner, head] = splitHead(req.query.get('head'), r.owner);
      const state = req.query.get('state') ?? 'open';
      const list = [...r.pulls.values()].filter(
        (p) =>
          (state === 'all' || p.state === state) &&
          (!head || (p.head === head && headOwnerOf(r, p) === headOwner.toLowerCase())),
      );
      return ok(list.map((p) => pullJson(s, r, p, req.baseUrl)));
    },
  ],
  [
    'GET',
    /^\/pulls\/(\d+)$/,
    'pull_requests',
    (s, req, m, r) => {
      const p = r.pulls.get(Number(m[1]));
      return p ? ok(pullJson(s, r, p, req.baseUrl)) : notFound;
    },
  ],
  [
    'PATCH',
    /^\/pulls\/(\d+)$/,
    'pull_requests',
    (s, req, m, r) => {
      const p = r.pulls.get(Number(m[1]));
      if (!p) return notFound;
      if (typeof req.body.body === 'string') p.body = req.body.body;
      if (typeof req.body.title === 'string') p.title = req.body.title;
      if (req.body.state === 'closed' && p.state === 'open') {
        p.lastHeadSha = s.pullHeadSha(r, p);
        p.state = 'closed';
      }
      return ok(pullJson(s, r, p, req.baseUrl));
    },
  ],
  [
    'PUT',
    /^\/pulls\/(\d+)\/merge$/,
    'contents',
    (s, req, m, r) => {
      const p = r.pulls.get(Number(m[1]));
      if (!p) return notFound;
      if (p.state !== 'open') return fail(405, 'Pull Request is not mergeable');
      if (r.flags.mergeRefusal) return fail(405, r.flags.mergeRefusal);
      if (s.hasMergeQueue(r, p.base)) return fail(405, 'Changes must be made through the merge queue');
      const headSha = s.pullHeadSha(r, p);
      if (typeof req.body.sha === 'string' && req.body.sha !== headSha)
        return fail(409, 'Head branch was modified. Review and try the merge again.');
      const state = s.mergeableState(r, p);
      // While mergeability is computing, GitHub checks the protection rules itself; a clean PR merges.
      if (state === 'dirty' || (state === 'unknown' && r.flags.conflicting))
        return fail(405, 'Pull Request is not mergeable');
      if (r.flags.requiredChecksPending) return fail(405, 'Required status check "plan" is expected.');
      if (r.flags.requiredReviewPending)
        return fail(405, 'At least 1 approving review is required by reviewers with write access.');
      const commit = s.merge(r, p, String(req.body.merge_method ?? 'merge'));
      return ok({ sha: commit.sha, merged: true, message: 'Pull Request successfully merged' });
    },
  ],
  [
    'GET',
    /^\/issues\/(\d+)\/comments$/,
    'issues',
    (_s, req, m, r) => {
      const all = [...r.comments.values()].filter((c) => c.issueNumber === Number(m[1]));
      const perPage = Number(req.query.get('per_page') ?? 30);
      const page = Number(req.query.get('page') ?? 1);
      return ok(all.slice((page - 1) * perPage, page * perPage).map((c) => commentJson(r, c, req.baseUrl)));
    },
  ],
  [
    'POST',
    /^\/issues\/(\d+)\/comments$/,
    'issues',
    (s, req, m, r) => {
      const n = Number(m[1]);
      if (!r.pulls.has(n) && !r.issues.has(n)) return notFound;
      const body = String(req.body.body ?? '');
      if (body.length > 65_536) return fail(422, 'Body is too long (maximum is 65536 characters)');
      const at = s.now();
      const c = {
        id: s.id(),
        issueNumber: n,
        body,
        user: req.actor ?? APP_BOT,
        reactions: [],
        createdAt: at,
        updatedAt: at,
      };
      r.comments.set(c.id, c);
      s.events.emit('issue_comment', { repo: r, comment: c });
      return ok(commentJson(r, c, req.baseUrl), 201);
    },
  ],
  [
    'PATCH',
    /^\/issues\/comments\/(\d+)$/,
    'issues',
    (s, req, m, r) => {
      const c = r.comments.get(Number(m[1]));
      if (!c) return notFound;
      const body = String(req.body.body ?? '');
      if (body.length > 65_536) return fail(422, 'Body is too long (maximum is 65536 characters)');
      c.body = body;
      c.updatedAt = s.now();
      return ok(commentJson(r, c, req.baseUrl));
    },
  ],
  [
    'DELETE',
    /^\/issues\/comments\/(\d+)$/,
    'issues',
    (_s, _req, m, r) => (r.comments.delete(Number(m[1])) ? { status: 204 } : notFound),
  ],
  [
    'POST',
    /^\/issues\/comments\/(\d+)\/reactions$/,
    'issues',
    (s, req, m, r) => {
      const c = r.comments.get(Number(m[1]));
      if (!c) return notFound;
      const content = String(req.body.content ?? '');
      const existing = c.reactions.find((x) => x.content === content && x.user.login === APP_BOT.login);
      if (!existing) c.reactions.push({ content, user: APP_BOT });
      return ok({ id: s.id(), content, user: APP_BOT }, existing ? 200 : 201);
    },
  ],
  ...issueRoutes(),
  ['GET', /^\/labels$/, 'issues', (_s, _req, _m, r) => ok([...r.labels.values()])],
  [
    'POST',
    /^\/labels$/,
    'issues',
    (_s, req, _m, r) => {
      const name = String(req.body.name ?? '');
      if ([...r.labels.keys()].some((k) => k.toLowerCase() === name.toLowerCase()))
        return fail(422, 'Validation Failed');
      const label = { name, color: String(req.body.color ?? 'ededed') };
      r.labels.set(name, label);
      return ok(label, 201);
    },
  ],
  [
    'POST',
    /^\/issues\/(\d+)\/labels$/,
    'issues',
    (_s, req, m, r) => {
      const p = r.pulls.get(Number(m[1])) ?? r.issues.get(Number(m[1]));
      if (!p) return notFound;
      for (const name of (req.body.labels as string[] | undefined) ?? []) {
        // Like GitHub: adding an unknown label to an issue creates it.
        if (!r.labels.has(name)) r.labels.set(name, { name, color: 'ededed' });
        if (!p.labels.includes(name)) p.labels.push(name);
      }
      return ok(p.labels.map((name) => r.labels.get(name)));
    },
  ],
  [
    'GET',
    /^\/collaborators\/([^/]+)\/permission$/,
    'metadata',
    (_s, _req, m, r) => {
      const role = r.collaborators.get(decodeURIComponent(m[1] ?? ''));
      if (!role) return notFound;
      return ok({ permission: legacyPermission(role), role_name: role, user: { login: m[1] } });
    },
  ],
  [
    'GET',
    /^\/commits\/([0-9a-f]+)\/pulls$/,
    'pull_requests',
    (s, req, m, r) => ok(s.pullsForCommit(r, m[1] ?? '').map((p) => pullJson(s, r, p, req.baseUrl))),
  ],
  [
    'GET',
    /^\/contents\/(.+)$/,
    'contents',
    (s, req, m, r) => {
      const sha = resolveRef(s, r, req.query.get('ref') ?? r.defaultBranch);
      const path = decodeURIComponent(m[1] ?? '');
      const text = sha ? r.commits.get(sha)?.tree.get(path) : undefined;
      if (text === undefined) return notFound;
      return ok({ type: 'file', path, encoding: 'base64', content: Buffer.from(text).toString('base64') });
    },
  ],
  [
    'DELETE',
    /^\/git\/refs\/(.+)$/,
    'contents',
    (s, _req, m, r) => {
      const ref = `refs/${decodeURIComponent(m[1] ?? '')}`;
      if (!r.refs.has(ref)) return fail(422, 'Reference does not exist');
      for (const p of r.pulls.values()) {
        if (p.state === 'open' && `refs/heads/${p.head}` === ref) {
          // GitHub closes an open PR whose head branch is deleted.
          p.lastHeadSha = s.pullHeadSha(r, p);
          p.state = 'closed';
        }
      }
      r.refs.delete(ref);
      return { status: 204 };
    },
  ],
  [
    'POST',
    /^\/git\/refs$/,
    'contents',
    (_s, req, _m, r) => {
      const ref = String(req.body.ref ?? '');
      if (r.refs.has(ref)) return fail(422, 'Reference already exists');
      if (!r.commits.has(String(req.body.sha))) return fail(422, 'Object does not exist');
      r.refs.set(ref, String(req.body.sha));
      return ok({ ref, object: { sha: req.body.sha, type: 'commit' } }, 201);
    },
  ],
  [
    'POST',
    /^\/check-runs$/,
    'checks',
    (s, req, _m, r) => {
      const tooLong = outputTooLong(req.body);
      if (tooLong) return fail(422, tooLong);
      const run: Record<string, unknown> = {
        ...req.body,
        id: s.id(),
        html_url: `${htmlBase(r)}/runs/${s.id()}`,
        app: checkRunApp(req.asApp),
      };
      r.checkRuns.set(run.id as number, run);
      if (run.status === 'completed') run.completed_at ??= s.now();
      if (run.status === 'completed') s.events.emit('check_run', { repo: r, run });
      return ok(run, 201);
    },
  ],
  [
    'PATCH',
    /^\/check-runs\/(\d+)$/,
    'checks',
    (s, req, m, r) => {
      const run = r.checkRuns.get(Number(m[1]));
      if (!run) return notFound;
      const tooLong = outputTooLong(req.body);
      if (tooLong) return fail(422, tooLong);
      const wasCompleted = run.status === 'completed';
      Object.assign(run, req.body);
      if (run.status === 'completed' && !wasCompleted) run.completed_at ??= s.now();
      if (run.status === 'completed' && !wasCompleted) s.events.emit('check_run', { repo: r, run });
      return ok(run);
    },
  ],
  [
    'POST',
    /^\/deployments$/,
    'deployments',
    (s, req, _m, r) => {
      const d = { ...req.body, id: s.id(), statuses: [] as Record<string, unknown>[] };
      r.deployments.set(d.id, d);
      const { statuses: _omit, ...json } = d;
      return ok(json, 201);
    },
  ],
  [
    'POST',
    /^\/deployments\/(\d+)\/statuses$/,
    'deployments',
    (s, req, m, r) => {
      const d = r.deployments.get(Number(m[1]));
      if (!d) return notFound;
      const status = { ...req.body, id: s.id() };
      d.statuses.push(status);
      return ok(status, 201);
    },
  ],
];

/** Plain issues: list (with PRs, as GitHub lists them), read, create, edit. */
function issueRoutes(): [string, RegExp, Needs, Handler][] {
  return [
    [
      'GET',
      /^\/issues$/,
      'issues',
      (_s, req, _m, r) => {
        const state = req.query.get('state') ?? 'open';
        const wanted = (req.query.get('labels') ?? '').split(',').filter(Boolean);
        const all = [
          ...[...r.issues.values()].map((i) => issueJson(r, i)),
          ...[...r.pulls.values()].map((p) => pullAsIssueJson(r, p)),
        ]
          .filter((i) => state === 'all' || i.state === state)
          .filter((i) => wanted.every((w) => i.labels.some((l) => l.name.toLowerCase() === w.toLowerCase())))
          .sort((a, b) => b.number - a.number);
        const perPage = Math.min(100, Number(req.query.get('per_page') ?? 30));
        const page = Number(req.query.get('page') ?? 1);
        return ok(all.slice((page - 1) * perPage, page * perPage));
      },
    ],
    [
      'GET',
      /^\/issues\/(\d+)$/,
      'issues',
      (_s, _req, m, r) => {
        const n = Number(m[1]);
        const issue = r.issues.get(n);
        if (issue) return ok(issueJson(r, issue));
        const pull = r.pulls.get(n);
        return pull ? ok(pullAsIssueJson(r, pull)) : notFound;
      },
    ],
    [
      'POST',
      /^\/issues$/,
      'issues',
      (s, req, _m, r) => {
        const title = req.body.title;
        if (typeof title !== 'string' || title.trim() === '')
          return fail(422, 'Validation Failed: title is missing');
        const body = typeof req.body.body === 'string' ? req.body.body : '';
        if (body.length > 65_536) return fail(422, 'Body is too long (maximum is 65536 characters)');
        const labels = Array.isArray(req.body.labels) ? req.body.labels.map(String) : [];
        return ok(issueJson(r, s.openIssue(r, { title, body, labels }, APP_BOT)), 201);
      },
    ],
    [
      'PATCH',
      /^\/issues\/(\d+)$/,
      'issues',
      (s, req, m, r) => {
        const issue = r.issues.get(Number(m[1]));
        const pull = issue ? undefined : r.pulls.get(Number(m[1]));
        // Like GitHub, the issues API edits a pull request's title, body, labels and state too.
        if (pull) return editPullAsIssue(s, r, pull, req.body);
        if (!issue) return notFound;
        if (typeof req.body.body === 'string') {
          if (req.body.body.length > 65_536)
            return fail(422, 'Body is too long (maximum is 65536 characters)');
          issue.body = req.body.body;
        }
        if (typeof req.body.title === 'string') issue.title = req.body.title;
        if (req.body.state === 'open' || req.body.state === 'closed') issue.state = req.body.state;
        if (Array.isArray(req.body.labels)) issue.labels = [...new Set(req.body.labels.map(String))];
        issue.updatedAt = s.now();
        return ok(issueJson(r, issue));
      },
    ],
  ];
}

function issueJson(r: RepoState, i: Issue, kind: 'issues' | 'pull' = 'issues', updatedAt = i.updatedAt) {
  return {
    number: i.number,
    node_id: i.nodeId,
    html_url: `${htmlBase(r)}/${kind}/${i.number}`,
    title: i.title,
    body: i.body,
    state: i.state,
    labels: i.labels.map((name) => ({ name, color: r.labels.get(name)?.color ?? 'ededed' })),
    user: i.user,
    created_at: i.createdAt,
    updated_at: updatedAt,
  };
}

function editPullAsIssue(s: DoubleState, r: RepoState, p: Pull, body: Record<string, unknown>): Reply {
  if (typeof body.body === 'string') {
    if (body.body.length > 65_536) return fail(422, 'Body is too long (maximum is 65536 characters)');
    p.body = body.body;
  }
  if (typeof body.title === 'string') p.title = body.title;
  if (Array.isArray(body.labels)) p.labels = [...new Set(body.labels.map(String))];
  if (body.state === 'closed' && p.state === 'open') {
    p.lastHeadSha = s.pullHeadSha(r, p);
    p.state = 'closed';
  }
  return ok(pullAsIssueJson(r, p));
}

/** A pull request as the issues API shows it: an issue with a `pull_request` key. */
function pullAsIssueJson(r: RepoState, p: Pull) {
  const updatedAt = p.mergedAt ?? p.createdAt;
  return {
    ...issueJson(r, { ...p, updatedAt }, 'pull', updatedAt),
    pull_request: { html_url: `${htmlBase(r)}/pull/${p.number}`, merged_at: p.mergedAt ?? null },
  };
}

const appRoutes: [string, RegExp, Needs, AppHandler][] = [
  [
    'POST',
    /^\/app\/installations\/(\d+)\/access_tokens$/,
    undefined,
    (s, _req, m) =>
      ok(
        {
          token: `${INSTALLATION_TOKEN}_${m[1]}`,
          expires_at: new Date(Date.now() + 3_600_000).toISOString(),
          permissions: { ...s.appPermissions },
        },
        201,
      ),
  ],
  [
    'GET',
    /^\/app\/installations$/,
    undefined,
    (s) => {
      const ids = [...new Set([...s.repos.values()].map((r) => r.installationId))].sort((a, b) => a - b);
      return ok(
        ids.map((id) => ({
          id,
          account: { login: [...s.repos.values()].find((r) => r.installationId === id)?.owner },
          app_slug: 'gitops-failover',
          permissions: { ...s.appPermissions },
        })),
      );
    },
  ],
  [
    'GET',
    /^\/installation\/repositories$/,
    undefined,
    (s, req) => {
      // The installation is the one whose token made the request (any, for other tokens).
      const id = Number(/_(\d+)$/.exec(req.token ?? '')?.[1] ?? Number.NaN);
      const repos = [...s.repos.values()].filter((r) => Number.isNaN(id) || r.installationId === id);
      return ok({
        total_count: repos.length,
        repositories: repos.map((r) => repoJson(r, req.baseUrl)),
      });
    },
  ],
  ['GET', /^\/app$/, undefined, () => ok({ id: 1, slug: 'gitops-failover', name: 'gitops-failover' })],
  [
    'GET',
    /^\/orgs\/([^/]+)\/teams\/([^/]+)\/memberships\/([^/]+)$/,
    'members',
    (s, _req, m) => {
      const members = s.teams.get(`${m[1]}/${m[2]}`.toLowerCase());
      return members?.has(decodeURIComponent(m[3] ?? ''))
        ? ok({ state: 'active', role: 'member' })
        : notFound;
    },
  ],
];

/** Answers one REST request, or undefined when the double does not implement the route. */
export function handleRest(s: DoubleState, req: RestRequest): Reply | undefined {
  for (const [method, re, needs, handler] of appRoutes) {
    const m = method === req.method ? re.exec(req.path) : null;
    if (m) return forbidden(s, req, needs) ?? handler(s, req, [...m] as string[]);
  }
  const rm = /^\/repos\/([^/]+)\/([^/]+)(.*)$/.exec(req.path);
  if (!rm) return undefined;
  const repo = s.repo(decodeURIComponent(rm[1] ?? ''), decodeURIComponent(rm[2] ?? ''));
  if (!repo) return notFound;
  for (const [method, re, needs, handler] of repoRoutes) {
    const m = method === req.method ? re.exec(rm[3] ?? '') : null;
    if (m) return forbidden(s, req, needs) ?? handler(s, req, [...m] as string[], repo);
  }
  return undefined;
}

/** GitHub refuses check-run output whose summary or text is over 65,535 characters. */
function outputTooLong(body: Record<string, unknown>): string | undefined {
  const output = (body.output ?? {}) as { summary?: unknown; text?: unknown };
  for (const field of ['summary', 'text'] as const) {
    const value = output[field];
    if (typeof value === 'string' && value.length > 65_535)
      return `Invalid request.\n\nOnly 65535 characters are allowed; ${value.length} were supplied. (output.${field})`;
  }
  return undefined;
}

/** The token the double mints for the app's installation (Probot asks for it with the app's JWT). */
export const INSTALLATION_TOKEN = 'ghs_double_installation_token';

/** GitHub's answer when an installation lacks the permission a route needs. */
export const NOT_ACCESSIBLE = 'Resource not accessible by integration';

function forbidden(s: DoubleState, req: RestRequest, needs: Needs): Reply | undefined {
  if (!req.asApp || !needs) return undefined;
  const level = s.appPermissions[needs];
  const ok = req.method === 'GET' ? level === 'read' || level === 'write' : level === 'write';
  if (ok) return undefined;
  return {
    status: 403,
    body: {
      message: NOT_ACCESSIBLE,
      documentation_url: 'https://docs.github.com/rest',
      status: '403',
    },
  };
}

/** The route template a request matched, for the call log ("PUT /repos/:o/:r/pulls/:n/merge"). */
export function restRouteName(method: string, path: string): string {
  const generic = path
    .replace(/^\/repos\/[^/]+\/[^/]+/, '/repos/:o/:r')
    .replace(/\/git\/refs\/.+$/, '/git/refs/:ref')
    .replace(/\/contents\/.+$/, '/contents/:path')
    .replace(/\/[0-9a-f]{40}(?=\/|$)/g, '/:sha')
    .replace(/\/\d+(?=\/|$)/g, '/:n');
  return `${method} ${generic}`;
}

export function resolveRef(s: DoubleState, r: RepoState, ref: string): string | undefined {
  if (r.commits.has(ref)) return ref;
  return r.refs.get(ref.startsWith('refs/') ? ref : `refs/heads/${ref}`) ?? s.headSha(r, ref);
}

function splitHead(value: string | null, owner: string): [string, string | undefined] {
  if (!value) return [owner, undefined];
  const at = value.indexOf(':');
  return at < 0 ? [owner, value] : [value.slice(0, at), value.slice(at + 1)];
}

function headOwnerOf(r: RepoState, p: Pull): string {
  return (p.headRepo?.split('/')[0] ?? r.owner).toLowerCase();
}

function legacyPermission(role: Role): string {
  if (role === 'maintain') return 'write';
  if (role === 'triage') return 'read';
  return role;
}

function htmlBase(r: RepoState): string {
  return `https://github.com/${r.owner}/${r.name}`;
}

export function repoJson(r: RepoState, baseUrl: string): Record<string, unknown> {
  return {
    id: 1,
    node_id: r.id,
    name: r.name,
    full_name: `${r.owner}/${r.name}`,
    owner: { login: r.owner },
    default_branch: r.defaultBranch,
    allow_auto_merge: r.flags.allowAutoMerge === true,
    url: `${baseUrl}/repos/${r.owner}/${r.name}`,
  };
}

export function pullJson(s: DoubleState, r: RepoState, p: Pull, _baseUrl: string): Record<string, unknown> {
  return {
    number: p.number,
    node_id: p.nodeId,
    html_url: `${htmlBase(r)}/pull/${p.number}`,
    title: p.title,
    body: p.body,
    state: p.state,
    merged: p.merged,
    merged_at: p.mergedAt ?? null,
    merge_commit_sha: p.mergeCommitSha ?? null,
    mergeable: p.state === 'open' ? !r.flags.conflicting : null,
    mergeable_state: s.mergeableState(r, p),
    auto_merge: p.autoMerge ? { merge_method: p.autoMerge.mergeMethod } : null,
    labels: p.labels.map((name) => ({ name })),
    user: p.user,
    head: {
      ref: p.head,
      sha: s.pullHeadSha(r, p),
      repo: { full_name: p.headRepo ?? `${r.owner}/${r.name}`, fork: p.headRepo !== undefined },
    },
    base: { ref: p.base, sha: s.headSha(r, p.base) },
    created_at: p.createdAt,
  };
}

function commentJson(
  r: RepoState,
  c: { id: number; body: string; user: unknown; issueNumber: number; createdAt: string; updatedAt: string },
  _baseUrl: string,
) {
  return {
    id: c.id,
    body: c.body,
    user: c.user,
    html_url: `${htmlBase(r)}/issues/${c.issueNumber}#issuecomment-${c.id}`,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
  };
}
