// REST routes of a repository and its pull requests: the repository, its installation, listing,
// reading, editing and merging pull requests, and the pull requests of a commit.
import { installationJson } from '../json/app.js';
import { pullJson } from '../json/pulls.js';
import { repoJson } from '../json/repo.js';
import type { Pull, RepoState } from '../state.js';
import { type Call, fail, notFound, ok, type Reply, type RepoRoute } from './common.js';

const R = '/repos/{owner}/{repo}';

export const pullRoutes: RepoRoute[] = [
  ['GET', R, 'metadata', (c, r) => ok(repoJson(c.site, r))],
  ['GET', `${R}/installation`, undefined, (c, r) => ok(installationJson(c.site, r.installationId, r.owner))],
  ['GET', `${R}/pulls`, 'pull_requests', listPulls],
  [
    'GET',
    `${R}/pulls/{pull_number}`,
    'pull_requests',
    (c, r) => withPull(c, r, (p) => ok(pullJson(c.site, r, p))),
  ],
  ['PATCH', `${R}/pulls/{pull_number}`, 'pull_requests', (c, r) => withPull(c, r, (p) => editPull(c, r, p))],
  ['PUT', `${R}/pulls/{pull_number}/merge`, 'contents', (c, r) => withPull(c, r, (p) => mergePull(c, r, p))],
  [
    'GET',
    `${R}/commits/{commit_sha}/pulls`,
    'pull_requests',
    (c, r) => ok(c.s.pullsForCommit(r, c.params[0] ?? '').map((p) => pullJson(c.site, r, p))),
  ],
];

function withPull(c: Call, r: RepoState, then: (p: Pull) => Reply): Reply {
  const p = r.pulls.get(Number(c.params[0]));
  return p ? then(p) : notFound();
}

function listPulls(c: Call, r: RepoState): Reply {
  // `head=owner:branch`: a fork's PR has the fork's owner, so `acme:failover/x` never finds it.
  const [headOwner, head] = splitHead(c.req.query.get('head'), r.owner);
  const state = c.req.query.get('state') ?? 'open';
  const list = [...r.pulls.values()].filter(
    (p) =>
      (state === 'all' || p.state === state) &&
      (!head || (p.head === head && headOwnerOf(r, p) === headOwner.toLowerCase())),
  );
  return ok(list.map((p) => pullJson(c.site, r, p)));
}

function editPull(c: Call, r: RepoState, p: Pull): Reply {
  const body = c.req.body;
  if (typeof body.body === 'string') p.body = body.body;
  if (typeof body.title === 'string') p.title = body.title;
  if (body.state === 'closed') c.s.closePull(r, p);
  return ok(pullJson(c.site, r, p));
}

/** GitHub's merge button through the API, with the refusals a protected branch gives. */
function mergePull(c: Call, r: RepoState, p: Pull): Reply {
  const refusal = mergeRefusal(c, r, p);
  if (refusal) return refusal;
  const commit = c.s.merge(r, p, String(c.req.body.merge_method ?? 'merge'));
  return ok({ sha: commit.sha, merged: true, message: 'Pull Request successfully merged' });
}

function mergeRefusal(c: Call, r: RepoState, p: Pull): Reply | undefined {
  if (p.state !== 'open') return fail(405, 'Pull Request is not mergeable');
  if (r.flags.mergeRefusal) return fail(405, r.flags.mergeRefusal);
  if (c.s.hasMergeQueue(r, p.base)) return fail(405, 'Changes must be made through the merge queue');
  const sha = c.req.body.sha;
  if (typeof sha === 'string' && sha !== c.s.pullHeadSha(r, p))
    return fail(409, 'Head branch was modified. Review and try the merge again.');
  const state = c.s.mergeableState(r, p);
  // While mergeability is computing, GitHub checks the protection rules itself; a clean PR merges.
  if (state === 'dirty' || (state === 'unknown' && r.flags.conflicting))
    return fail(405, 'Pull Request is not mergeable');
  if (r.flags.requiredChecksPending) return fail(405, 'Required status check "plan" is expected.');
  if (r.flags.requiredReviewPending)
    return fail(405, 'At least 1 approving review is required by reviewers with write access.');
  return undefined;
}

function splitHead(value: string | null, owner: string): [string, string | undefined] {
  if (!value) return [owner, undefined];
  const at = value.indexOf(':');
  return at < 0 ? [owner, value] : [value.slice(0, at), value.slice(at + 1)];
}

function headOwnerOf(r: RepoState, p: Pull): string {
  return (p.headRepo?.split('/')[0] ?? r.owner).toLowerCase();
}
