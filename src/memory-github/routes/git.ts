// REST routes of a repository's files, refs, collaborators, check runs and deployments.
import { checkRunApp, checkRunJson, deploymentJson, deploymentStatusJson } from '../json/checks.js';
import { collaboratorPermissionJson, contentFileJson, gitRefJson } from '../json/git.js';
import { APP_BOT, type DoubleState, type RepoState, type Role } from '../state.js';
import { type Call, fail, noContent, notFound, ok, type Reply, type RepoRoute } from './common.js';

const R = '/repos/{owner}/{repo}';

export const gitRoutes: RepoRoute[] = [
  ['GET', `${R}/collaborators/{username}/permission`, 'metadata', permissionOf],
  ['GET', `${R}/contents/{path}`, 'contents', readFile],
  ['DELETE', `${R}/git/refs/{ref}`, 'contents', deleteRef],
  ['POST', `${R}/git/refs`, 'contents', createRef],
  ['POST', `${R}/check-runs`, 'checks', createCheckRun],
  ['PATCH', `${R}/check-runs/{check_run_id}`, 'checks', updateCheckRun],
  ['POST', `${R}/deployments`, 'deployments', createDeployment],
  ['POST', `${R}/deployments/{deployment_id}/statuses`, 'deployments', createDeploymentStatus],
];

function permissionOf(c: Call, r: RepoState): Reply {
  const login = c.params[0] ?? '';
  const role = r.collaborators.get(login);
  if (!role) return notFound();
  return ok(collaboratorPermissionJson(c.site, login, legacyPermission(role), role));
}

function legacyPermission(role: Role): string {
  if (role === 'maintain') return 'write';
  if (role === 'triage') return 'read';
  return role;
}

function readFile(c: Call, r: RepoState): Reply {
  const ref = c.req.query.get('ref') ?? r.defaultBranch;
  const sha = resolveRef(c.s, r, ref);
  const path = c.params[0] ?? '';
  const text = sha ? r.commits.get(sha)?.tree.get(path) : undefined;
  return text === undefined ? notFound() : ok(contentFileJson(c.site, r, path, ref, text));
}

export function resolveRef(s: DoubleState, r: RepoState, ref: string): string | undefined {
  if (r.commits.has(ref)) return ref;
  return r.refs.get(ref.startsWith('refs/') ? ref : `refs/heads/${ref}`) ?? s.headSha(r, ref);
}

function deleteRef(c: Call, r: RepoState): Reply {
  const ref = `refs/${c.params[0] ?? ''}`;
  if (!r.refs.has(ref)) return fail(422, 'Reference does not exist');
  // GitHub closes an open PR whose head branch is deleted.
  for (const p of r.pulls.values()) if (!p.headRepo && `refs/heads/${p.head}` === ref) c.s.closePull(r, p);
  r.refs.delete(ref);
  return noContent();
}

function createRef(c: Call, r: RepoState): Reply {
  const ref = String(c.req.body.ref ?? '');
  const sha = String(c.req.body.sha ?? '');
  if (r.refs.has(ref)) return fail(422, 'Reference already exists');
  if (!r.commits.has(sha)) return fail(422, 'Object does not exist');
  r.refs.set(ref, sha);
  return ok(gitRefJson(c.site, r, ref, sha), 201);
}

/** GitHub refuses check-run output whose summary or text is over 65,535 characters. */
function outputTooLong(body: Record<string, unknown>): Reply | undefined {
  const output = (body.output ?? {}) as { summary?: unknown; text?: unknown };
  for (const field of ['summary', 'text'] as const) {
    const value = output[field];
    if (typeof value === 'string' && value.length > 65_535)
      return fail(
        422,
        `Invalid request.\n\nOnly 65535 characters are allowed; ${value.length} were supplied. (output.${field})`,
      );
  }
  return undefined;
}

function createCheckRun(c: Call, r: RepoState): Reply {
  const refused = outputTooLong(c.req.body);
  if (refused) return refused;
  const id = c.s.id();
  const run: Record<string, unknown> = {
    status: 'queued',
    started_at: c.s.now(),
    ...c.req.body,
    id,
    html_url: `https://github.com/${r.owner}/${r.name}/runs/${id}`,
    app: checkRunApp(c.req.asApp),
  };
  r.checkRuns.set(id, run);
  completeIfDone(c, r, run, false);
  return ok(checkRunJson(c.site, r, run), 201);
}

function updateCheckRun(c: Call, r: RepoState): Reply {
  const run = r.checkRuns.get(Number(c.params[0]));
  if (!run) return notFound();
  const refused = outputTooLong(c.req.body);
  if (refused) return refused;
  const wasCompleted = run.status === 'completed';
  Object.assign(run, c.req.body);
  completeIfDone(c, r, run, wasCompleted);
  return ok(checkRunJson(c.site, r, run));
}

/** A run that has just completed gets its completion time and is announced (check_run webhook). */
function completeIfDone(c: Call, r: RepoState, run: Record<string, unknown>, wasCompleted: boolean): void {
  if (run.status !== 'completed' || wasCompleted) return;
  run.completed_at ??= c.s.now();
  c.s.events.emit('check_run', { repo: r, run });
}

function createDeployment(c: Call, r: RepoState): Reply {
  const ref = String(c.req.body.ref ?? '');
  const sha = resolveRef(c.s, r, ref);
  if (!sha)
    return fail(422, `No ref found for: ${ref}`, [{ resource: 'Deployment', code: 'invalid', field: 'ref' }]);
  const id = c.s.id();
  const d = { ...c.req.body, id, sha, creator: c.req.actor ?? APP_BOT, created_at: c.s.now(), statuses: [] };
  r.deployments.set(id, d);
  return ok(deploymentJson(c.site, r, d), 201);
}

function createDeploymentStatus(c: Call, r: RepoState): Reply {
  const d = r.deployments.get(Number(c.params[0]));
  if (!d) return notFound();
  const status = { ...c.req.body, id: c.s.id(), creator: c.req.actor ?? APP_BOT, created_at: c.s.now() };
  d.statuses.push(status);
  return ok(deploymentStatusJson(c.site, r, d, status), 201);
}
