// Drives every REST route of the in-memory GitHub that the port's own traffic (record.ts) leaves out or
// only answers one way: the app and installation routes (Probot, the bot's warm-up), plain issues and
// their comments, labels, files, refs, check runs and deployments (the Action), and the error answers
// (403 for a permission the app lacks, 404, 405, 409, 422, a bad JSON body, an injected fault, a route the
// double does not implement). Every call goes over HTTP to the real server and is recorded.
import { Octokit } from 'octokit';
import type { GitHubClient } from '../../src/github/client.js';
import { INSTALLATION_TOKEN } from '../../src/memory-github/rest.js';
import { infraRepoFiles, STATE_PATH } from '../helpers/github-double/fixtures.js';
import {
  APP_BOT,
  type DoubleState,
  doubleClient,
  type GitHubDouble,
  type Pull,
  type RepoState,
  startGitHubDouble,
} from '../helpers/github-double/index.js';
import { type Recording, recordingClient } from './record.js';

const O = { owner: 'acme', repo: 'infra' };

/** Runs every route and error answer; returns what went over the wire. */
export async function recordEveryRoute(): Promise<Recording> {
  const rec: Recording = { rest: [], graphql: [] };
  const double = await startGitHubDouble();
  try {
    const repo = double.state.seed('acme', 'infra', infraRepoFiles());
    repo.collaborators.set('alice', 'write');
    double.state.teams.set('acme/sre', new Set(['alice']));
    const client = recordingClient(doubleClient(double), rec);
    const asApp = recordingClient(appClient(double, repo.installationId), rec);
    await driveApp(client, asApp, double.state, repo);
    await drivePulls(client, double.state, repo);
    await driveIssues(client, double.state, repo);
    await driveGit(client, asApp, double.state, repo);
    await driveServerAnswers(client, double, rec);
  } finally {
    await double.close();
  }
  return rec;
}

/** An Octokit with the installation token the double mints: the app's permissions apply. */
function appClient(double: GitHubDouble, installationId: number): GitHubClient {
  return new Octokit({
    baseUrl: double.url,
    auth: `${INSTALLATION_TOKEN}_${installationId}`,
    retry: { enabled: false },
    throttle: { enabled: false },
  });
}

/** Calls a route; a refusal is recorded by the recording client and not an error here. */
async function call(client: GitHubClient, route: string, params: Record<string, unknown> = {}) {
  return client.request(route, params).catch(() => undefined);
}

/** Runs `body` with one app permission taken away, then gives it back. */
async function without(s: DoubleState, permission: string, body: () => Promise<unknown>): Promise<void> {
  const level = s.appPermissions[permission];
  delete s.appPermissions[permission];
  try {
    await body();
  } finally {
    if (level) s.appPermissions[permission] = level;
  }
}

async function driveApp(client: GitHubClient, asApp: GitHubClient, s: DoubleState, repo: RepoState) {
  await call(client, 'GET /app');
  await call(client, 'GET /app/installations');
  await call(client, 'POST /app/installations/{installation_id}/access_tokens', {
    installation_id: repo.installationId,
  });
  await call(client, 'POST /app/installations/{installation_id}/access_tokens', { installation_id: 999 });
  await call(asApp, 'GET /installation/repositories');
  await call(client, 'GET /repos/{owner}/{repo}/installation', O);
  await call(client, 'GET /repos/{owner}/{repo}/installation', { owner: 'acme', repo: 'nowhere' });
  await call(client, 'GET /repos/{owner}/{repo}', O);
  const membership = 'GET /orgs/{org}/teams/{team_slug}/memberships/{username}';
  await call(asApp, membership, { org: 'acme', team_slug: 'sre', username: 'alice' });
  await call(asApp, membership, { org: 'acme', team_slug: 'sre', username: 'bob' });
  await without(s, 'members', () =>
    call(asApp, membership, { org: 'acme', team_slug: 'sre', username: 'alice' }),
  );
}

/** A pull request as a person (or a fork) opens it in the web interface. */
function openPull(s: DoubleState, repo: RepoState, head: string, headRepo?: string): Pull {
  const number = repo.nextNumber++;
  const pull: Pull = {
    number,
    nodeId: `PR_${repo.id}_${number}`,
    title: `Change ${head}`,
    body: 'A change.',
    head,
    base: repo.defaultBranch,
    state: 'open',
    merged: false,
    lastHeadSha: s.headSha(repo, head) ?? '',
    labels: [],
    user: headRepo ? { login: 'mallory', type: 'User' } : APP_BOT,
    ...(headRepo ? { headRepo } : {}),
    createdAt: s.now(),
  };
  repo.pulls.set(number, pull);
  return pull;
}

async function drivePulls(client: GitHubClient, s: DoubleState, repo: RepoState) {
  s.push(repo, 'feature', { [STATE_PATH]: '{\n  "checkout_active_region": "us-west-2"\n}\n' });
  const pull = openPull(s, repo, 'feature');
  const n = { ...O, pull_number: pull.number };
  await call(client, 'GET /repos/{owner}/{repo}/pulls', { ...O, head: 'acme:feature' });
  await call(client, 'GET /repos/{owner}/{repo}/pulls/{pull_number}', n);
  await call(client, 'GET /repos/{owner}/{repo}/pulls/{pull_number}', { ...O, pull_number: 999 });
  await call(client, 'PATCH /repos/{owner}/{repo}/pulls/{pull_number}', { ...n, title: 'Change the region' });
  await call(client, 'GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls', {
    ...O,
    commit_sha: pull.lastHeadSha,
  });
  const merge = 'PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge';
  await call(client, merge, { ...n, sha: '0'.repeat(40) });
  repo.flags.requiredChecksPending = true;
  await call(client, merge, n);
  repo.flags.requiredChecksPending = false;
  pull.autoMerge = { mergeMethod: 'SQUASH' };
  await call(client, 'GET /repos/{owner}/{repo}/pulls/{pull_number}', n);
  pull.autoMerge = undefined;
  await call(client, merge, { ...n, merge_method: 'squash' });
  await call(client, 'GET /repos/{owner}/{repo}/pulls', { ...O, state: 'all' });
  const fork = openPull(s, repo, 'patch-1', 'mallory/infra');
  await call(client, 'GET /repos/{owner}/{repo}/pulls/{pull_number}', { ...O, pull_number: fork.number });
  await call(client, 'PATCH /repos/{owner}/{repo}/pulls/{pull_number}', {
    ...O,
    pull_number: fork.number,
    state: 'closed',
  });
}

async function driveIssues(client: GitHubClient, s: DoubleState, repo: RepoState) {
  const created = await call(client, 'POST /repos/{owner}/{repo}/issues', {
    ...O,
    title: 'Failover status',
    body: 'All quiet.',
    labels: ['failover:status'],
  });
  const issue = Number((created?.data as { number?: number } | undefined)?.number);
  const i = { ...O, issue_number: issue };
  await call(client, 'POST /repos/{owner}/{repo}/issues', { ...O, title: '' });
  await call(client, 'GET /repos/{owner}/{repo}/issues', { ...O, state: 'all', labels: 'failover:status' });
  await call(client, 'GET /repos/{owner}/{repo}/issues/{issue_number}', i);
  await call(client, 'GET /repos/{owner}/{repo}/issues/{issue_number}', { ...O, issue_number: 1 });
  await call(client, 'GET /repos/{owner}/{repo}/issues/{issue_number}', { ...O, issue_number: 999 });
  await call(client, 'PATCH /repos/{owner}/{repo}/issues/{issue_number}', { ...i, state: 'closed' });
  await call(client, 'PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
    ...O,
    issue_number: 1,
    title: 'Renamed',
  });
  await call(client, 'PATCH /repos/{owner}/{repo}/issues/{issue_number}', { ...i, body: 'x'.repeat(70_000) });
  await call(client, 'PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
    ...O,
    issue_number: 999,
    title: 'x',
  });
  await driveComments(client, s, repo, issue);
  await call(client, 'GET /repos/{owner}/{repo}/labels', O);
  await call(client, 'POST /repos/{owner}/{repo}/labels', { ...O, name: 'failover', color: 'b60205' });
  await call(client, 'POST /repos/{owner}/{repo}/labels', { ...O, name: 'Failover', color: 'b60205' });
  await call(client, 'POST /repos/{owner}/{repo}/issues/{issue_number}/labels', {
    ...i,
    labels: ['failover'],
  });
  await call(client, 'POST /repos/{owner}/{repo}/issues/{issue_number}/labels', {
    ...O,
    issue_number: 999,
    labels: ['x'],
  });
}

async function driveComments(client: GitHubClient, s: DoubleState, repo: RepoState, issue: number) {
  const i = { ...O, issue_number: issue };
  const created = await call(client, 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
    ...i,
    body: 'hello',
  });
  const id = Number((created?.data as { id?: number } | undefined)?.id);
  s.addComment(repo, 1, '/failover status', { login: 'alice', type: 'User' });
  await call(client, 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
    ...O,
    issue_number: 999,
    body: 'x',
  });
  await call(client, 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
    ...i,
    body: 'x'.repeat(70_000),
  });
  await call(client, 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments', i);
  await call(client, 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...O, issue_number: 1 });
  const c = { ...O, comment_id: id };
  await call(client, 'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', { ...c, body: 'edited' });
  await call(client, 'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', {
    ...c,
    body: 'x'.repeat(70_000),
  });
  await call(client, 'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', {
    ...O,
    comment_id: 1,
    body: 'x',
  });
  const reactions = 'POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions';
  await call(client, reactions, { ...c, content: 'eyes' });
  await call(client, reactions, { ...c, content: 'eyes' });
  await call(client, reactions, { ...O, comment_id: 1, content: 'eyes' });
  await call(client, 'DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}', c);
  await call(client, 'DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}', c);
}

async function driveGit(client: GitHubClient, asApp: GitHubClient, s: DoubleState, repo: RepoState) {
  const sha = s.headSha(repo) ?? '';
  const permission = 'GET /repos/{owner}/{repo}/collaborators/{username}/permission';
  await call(client, permission, { ...O, username: 'alice' });
  await call(client, permission, { ...O, username: 'mallory' });
  await call(client, 'GET /repos/{owner}/{repo}/contents/{path}', { ...O, path: '.github/failover.yml' });
  await call(client, 'GET /repos/{owner}/{repo}/contents/{path}', { ...O, path: 'missing.txt', ref: 'main' });
  await call(client, 'POST /repos/{owner}/{repo}/git/refs', { ...O, ref: 'refs/heads/spare', sha });
  await call(client, 'POST /repos/{owner}/{repo}/git/refs', { ...O, ref: 'refs/heads/spare', sha });
  await call(client, 'POST /repos/{owner}/{repo}/git/refs', {
    ...O,
    ref: 'refs/heads/other',
    sha: '1'.repeat(40),
  });
  await call(client, 'DELETE /repos/{owner}/{repo}/git/refs/{ref}', { ...O, ref: 'heads/spare' });
  await call(client, 'DELETE /repos/{owner}/{repo}/git/refs/{ref}', { ...O, ref: 'heads/spare' });
  await driveChecks(client, asApp, sha);
  await driveDeployments(client, sha);
  await without(s, 'pull_requests', () => call(asApp, 'GET /repos/{owner}/{repo}/pulls', O));
}

async function driveChecks(client: GitHubClient, asApp: GitHubClient, sha: string) {
  const created = await call(client, 'POST /repos/{owner}/{repo}/check-runs', {
    ...O,
    name: 'gitops-failover/verify',
    head_sha: sha,
    status: 'in_progress',
    external_id: 'verify-1',
    details_url: 'https://github.com/acme/infra/actions/runs/1',
  });
  const run = { ...O, check_run_id: Number((created?.data as { id?: number } | undefined)?.id) };
  const long = { title: 'long', summary: 'x'.repeat(70_000) };
  await call(client, 'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', {
    ...run,
    status: 'completed',
    conclusion: 'success',
    output: { title: 'verified', summary: 'ok', text: 'details' },
  });
  await call(client, 'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', { ...run, output: long });
  await call(client, 'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', {
    ...O,
    check_run_id: 1,
    status: 'completed',
  });
  await call(client, 'POST /repos/{owner}/{repo}/check-runs', {
    ...O,
    name: 'x',
    head_sha: sha,
    output: long,
  });
  await call(asApp, 'POST /repos/{owner}/{repo}/check-runs', { ...O, name: 'bot', head_sha: sha });
}

async function driveDeployments(client: GitHubClient, sha: string) {
  const created = await call(client, 'POST /repos/{owner}/{repo}/deployments', {
    ...O,
    ref: sha,
    environment: 'failover/checkout',
    auto_merge: false,
    required_contexts: [],
    description: 'failover',
    payload: { to: 'us-west-2' },
  });
  await call(client, 'POST /repos/{owner}/{repo}/deployments', { ...O, ref: 'no-such-branch' });
  const d = { ...O, deployment_id: Number((created?.data as { id?: number } | undefined)?.id) };
  const statuses = 'POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses';
  await call(client, statuses, {
    ...d,
    state: 'success',
    log_url: 'https://github.com/acme/infra/actions/runs/1',
  });
  await call(client, statuses, { ...d, state: 'failure', description: 'verify failed' });
  await call(client, statuses, { ...O, deployment_id: 1, state: 'success' });
}

/** Answers the server gives before any route: an injected fault, a secondary limit, a bad body, no route. */
async function driveServerAnswers(client: GitHubClient, double: GitHubDouble, rec: Recording) {
  const pulls = (name: string) => name === 'GET /repos/:o/:r/pulls';
  double.setFaults({ sequence: [{ status: 502 }, { status: 403, retryAfter: 60 }], match: pulls });
  await call(client, 'GET /repos/{owner}/{repo}/pulls', O);
  await call(client, 'GET /repos/{owner}/{repo}/pulls', O);
  double.setFaults(undefined);
  await call(client, 'GET /repos/{owner}/{repo}/branches', O);
  const res = await fetch(`${double.url}/repos/acme/infra/issues`, {
    method: 'POST',
    headers: { authorization: 'token test', 'content-type': 'application/json' },
    body: '{"title": ',
  });
  rec.rest.push({
    route: 'POST /repos/{owner}/{repo}/issues',
    params: O,
    method: 'POST',
    path: '/repos/acme/infra/issues',
    status: res.status,
    data: await res.json(),
  });
}
