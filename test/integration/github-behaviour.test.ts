// GitHub behaviour no schema shows, as the in-memory GitHub models it, and what the port does with it:
// mergeability `unknown` while GitHub computes it, the repo's "Allow auto-merge", merge queues, 403 for a
// permission the app lacks, secondary rate limits, comments on plain issues, truncated blobs, Ref.prefix.
import { Octokit } from 'octokit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyMarker } from '../../src/core/render/verify-record.js';
import { createGitHubPort, type GitHubClient, type GitHubPort } from '../../src/github/index.js';
import { BLOB_TEXT_LIMIT } from '../../src/memory-github/graphql.js';
import { INSTALLATION_TOKEN, NOT_ACCESSIBLE } from '../../src/memory-github/rest.js';
import { readVerifyRecord } from '../../src/service/result-text.js';
import { checkoutPlan, infraRepoFiles, STATE_PATH } from '../helpers/github-double/fixtures.js';
import {
  doubleClient,
  doubleOctokit,
  type GitHubDouble,
  type RepoState,
  startGitHubDouble,
} from '../helpers/github-double/index.js';

let double: GitHubDouble;
let repo: RepoState;

/** A client holding the installation token the double minted: the app's permissions apply to it. */
function appClient(): GitHubClient {
  return new Octokit({
    baseUrl: double.url,
    auth: INSTALLATION_TOKEN,
    retry: { enabled: false },
    throttle: { enabled: false },
  });
}

function port(client: GitHubClient = doubleClient(double)): GitHubPort {
  return createGitHubPort({ client, owner: 'acme', repo: 'infra', sleep: async () => {} });
}

async function openPr(p: GitHubPort): Promise<number> {
  const snap = await p.readSnapshot();
  return (await p.ensureFailoverPr(checkoutPlan(snap.view.headSha), snap)).number;
}

/** Waits (generously) for a condition the double reaches on its own. */
async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

afterEach(async () => {
  await double.close();
});

describe('mergeability unknown while GitHub computes it', () => {
  beforeEach(async () => {
    // Longer than any test: the computation ends only when a test ends it.
    double = await startGitHubDouble({ mergeabilityMs: 3_600_000 });
    repo = double.state.seed('acme', 'infra', infraRepoFiles());
  });

  it('reads unknown after a PR opens; the port turns on auto-merge and GitHub merges once it is known', async () => {
    const p = port();
    const n = await openPr(p);
    const pull = await doubleOctokit(double).request('GET /repos/{owner}/{repo}/pulls/{pull_number}', {
      owner: 'acme',
      repo: 'infra',
      pull_number: n,
    });
    expect(pull.data.mergeable_state).toBe('unknown');
    const result = await p.mergePr(n);
    expect(result).toEqual({
      outcome: 'auto-merge',
      message: expect.stringContaining('once GitHub has checked'),
    });
    expect(repo.pulls.get(n)?.merged).toBe(false);
    expect(double.calls.filter((c) => c.name.endsWith('/merge'))).toHaveLength(0);
    double.state.computeMergeability(repo);
    await until(() => repo.pulls.get(n)?.merged === true, 'GitHub merged the auto-merge PR');
    expect(double.state.files(repo)[STATE_PATH]).toContain('us-west-2');
  });

  it('reads unknown again when the base branch moves', async () => {
    const p = port();
    const n = await openPr(p);
    double.state.computeMergeability(repo);
    const pull = repo.pulls.get(n)!;
    expect(double.state.mergeableState(repo, pull)).toBe('clean');
    double.state.push(repo, 'main', { 'README.md': '# infra, edited\n' });
    expect(double.state.mergeableState(repo, pull)).toBe('unknown');
  });

  it('a second call finds auto-merge on and does not send it again', async () => {
    const p = port();
    const n = await openPr(p);
    await p.mergePr(n);
    const before = double.calls.length;
    expect((await p.mergePr(n)).outcome).toBe('auto-merge');
    expect(double.calls.slice(before).map((c) => c.name)).toEqual(['graphql FailoverMergeState']);
  });
});

describe('merging under branch protection', () => {
  beforeEach(async () => {
    double = await startGitHubDouble();
    repo = double.state.seed('acme', 'infra', infraRepoFiles());
  });

  it('"Allow auto-merge" off: refused with the exact setting to turn on, and no mutation sent', async () => {
    repo.flags.allowAutoMerge = false;
    repo.flags.requiredReviewPending = true;
    const p = port();
    const n = await openPr(p);
    const before = double.calls.length;
    const result = await p.mergePr(n);
    expect(result.outcome).toBe('refused');
    expect(result.message).toContain('"Allow auto-merge"');
    expect(result.message).toContain('gh api -X PATCH repos/acme/infra -F allow_auto_merge=true');
    // The PR's creation answered with its merge state: no read, and no mutation GitHub would refuse.
    expect(double.calls.slice(before).map((c) => c.name)).toEqual([]);
    // A later merge (nothing fresh any more) reads the state first.
    const again = double.calls.length;
    expect((await p.mergePr(n)).outcome).toBe('refused');
    expect(double.calls.slice(again).map((c) => c.name)).toEqual(['graphql FailoverMergeState']);
  });

  it('a merge-queue base: enqueued (never merged directly), and the queue merges it when checks pass', async () => {
    repo.flags.mergeQueue = ['main'];
    repo.flags.requiredChecksPending = true;
    const p = port();
    const n = await openPr(p);
    const result = await p.mergePr(n);
    expect(result.outcome).toBe('queued');
    expect(double.calls.filter((c) => c.name.endsWith('/merge'))).toHaveLength(0);
    expect(repo.pulls.get(n)?.merged).toBe(false);
    repo.flags.requiredChecksPending = false;
    await until(() => repo.pulls.get(n)?.merged === true, 'the merge queue merged the PR');
  });

  it('a direct merge on a merge-queue base answers 405 like GitHub', async () => {
    const n = await openPr(port());
    repo.flags.mergeQueue = ['main'];
    await expect(
      doubleOctokit(double).request('PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge', {
        owner: 'acme',
        repo: 'infra',
        pull_number: n,
      }),
    ).rejects.toMatchObject({ status: 405, message: expect.stringContaining('merge queue') });
  });

  it('an app without "Pull requests: write" gets 403 "Resource not accessible by integration", reported with the permission', async () => {
    const n = await openPr(port());
    double.state.appPermissions.pull_requests = 'read';
    repo.flags.requiredChecksPending = true;
    const result = await port(appClient()).mergePr(n);
    expect(result.outcome).toBe('refused');
    expect(result.message).toContain(NOT_ACCESSIBLE);
    expect(result.message).toContain('Pull requests: write');
  });
});

describe('the rest of GitHub the product meets', () => {
  beforeEach(async () => {
    double = await startGitHubDouble({ secondaryLimit: { perMinute: 3 } });
    repo = double.state.seed('acme', 'infra', infraRepoFiles());
  });

  it('answers 403 for a team lookup without "Members: read"; with it, membership is read', async () => {
    double.state.teams.set('acme/sre', new Set(['alice']));
    const app = appClient();
    const route = 'GET /orgs/{org}/teams/{team_slug}/memberships/{username}';
    const params = { org: 'acme', team_slug: 'sre', username: 'alice' };
    await expect(app.request(route, params)).resolves.toMatchObject({ data: { state: 'active' } });
    delete double.state.appPermissions.members;
    await expect(app.request(route, params)).rejects.toMatchObject({
      status: 403,
      message: expect.stringContaining(NOT_ACCESSIBLE),
    });
  });

  it('limits content-creating requests per minute with 403 and a retry-after, reads stay free', async () => {
    const issue = double.state.openIssue(repo, { title: 'Failover status' });
    const octokit = doubleOctokit(double);
    const comment = () =>
      octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
        owner: 'acme',
        repo: 'infra',
        issue_number: issue.number,
        body: 'hello',
      });
    for (let i = 0; i < 3; i++) await comment();
    type Refusal = {
      status: number;
      response: { headers: Record<string, string>; data: { message: string } };
    };
    const refused = (await comment().then(
      () => undefined,
      (e: unknown) => e,
    )) as Refusal;
    expect(refused).toMatchObject({ status: 403 });
    expect(Number(refused.response.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.response.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(refused.response.data.message).toMatch(/secondary rate limit/);
    const list = await octokit.request('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      owner: 'acme',
      repo: 'infra',
      issue_number: issue.number,
    });
    expect(list.data).toHaveLength(3);
  });

  it('comments on a plain issue (no PR behind it) and lists issues by label', async () => {
    const octokit = doubleOctokit(double);
    const created = await octokit.request('POST /repos/{owner}/{repo}/issues', {
      owner: 'acme',
      repo: 'infra',
      title: 'Failover status',
      labels: ['failover:status'],
    });
    const { id } = await port().comment(created.data.number, '/failover status');
    expect(repo.comments.get(id)?.issueNumber).toBe(created.data.number);
    const listed = await octokit.request('GET /repos/{owner}/{repo}/issues', {
      owner: 'acme',
      repo: 'infra',
      labels: 'failover:status',
    });
    expect(listed.data.map((i) => i.number)).toEqual([created.data.number]);
  });

  it('a state file GitHub returns cut (Blob.isTruncated) is an explicit error, never parsed', async () => {
    // Valid JSON up to the cut would still parse as something else: the port must not read it.
    const huge = `{\n  "checkout_active_region": "us-east-1",\n  "padding": "${'x'.repeat(BLOB_TEXT_LIMIT)}"\n}\n`;
    double.state.push(repo, 'main', { [STATE_PATH]: huge });
    const snap = await port().readSnapshot();
    expect(snap.config).toBeUndefined();
    expect(snap.configError?.message).toContain(`${STATE_PATH}:1:1`);
    expect(snap.configError?.message).toContain('isTruncated');
    expect(snap.view.files[STATE_PATH]).toBeUndefined();
  });

  it('Ref.name is relative to the refPrefix asked for and Ref.prefix carries it', async () => {
    const p = port();
    const snap = await p.readSnapshot();
    double.state.push(repo, 'failover/checkout', {}, { login: 'octocat', type: 'User' });
    repo.refs.set('refs/heads/failover/checkout', snap.view.headSha);
    const answer = await doubleClient(double).graphql<{
      repository: { refs: { nodes: { name: string; prefix: string }[] } };
    }>(
      `query FailoverSnapshot($owner: String!, $name: String!) { repository(owner: $owner, name: $name) {
        refs(refPrefix: "refs/heads/failover/", first: 100) { nodes { name prefix } } } }`,
      {
        owner: 'acme',
        name: 'infra',
        configPath: '.github/failover.yml',
        freezePath: '.github/failover.freeze',
      },
    );
    expect(answer.repository.refs.nodes).toEqual([
      expect.objectContaining({ name: 'checkout', prefix: 'refs/heads/failover/' }),
    ]);
    expect((await p.readSnapshot()).staleBranches).toEqual({ 'failover/checkout': snap.view.headSha });
  });

  it('a check-run summary at and over the 65,535 limit keeps the verify record wherever it was written', async () => {
    const record = verifyMarker({
      services: ['checkout'],
      changes: [],
      applied: true,
      verified: true,
      pr: 7,
    });
    const sha = double.state.headSha(repo) ?? '';
    const p = port();
    for (const [summary, kept] of [
      [`${record}\n${'x'.repeat(65_535 - record.length - 1)}`, 'whole'],
      [`${record}\n${'x'.repeat(70_000)}`, 'clipped'],
      [`${'report line\n'.repeat(6_000)}${record}`, 'record moved to the front'],
    ] as const) {
      const run = await p.createCheckRun({
        name: 'gitops-failover/verify',
        headSha: sha,
        conclusion: 'success',
        output: { title: kept, summary },
      });
      const stored = repo.checkRuns.get(run.id) as { output: { summary: string } };
      expect(stored.output.summary.length).toBeLessThanOrEqual(65_535);
      if (kept === 'whole') expect(stored.output.summary).toBe(summary);
      expect(readVerifyRecord(stored.output)).toMatchObject({ verified: true, pr: 7 });
    }
  });
});
