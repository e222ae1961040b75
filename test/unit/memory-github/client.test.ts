// The in-memory GitHub without HTTP: routes expanded like Octokit's, failures thrown like Octokit's so
// the port classifies them the same, and plain issues with GitHub's semantics.
import { describe, expect, it } from 'vitest';
import { toGitHubError } from '../../../src/github/client.js';
import { createGitHubPort } from '../../../src/github/index.js';
import { DoubleState, memoryClient } from '../../../src/memory-github/index.js';
import { checkoutPlan, infraRepoFiles } from '../../helpers/github-double/fixtures.js';

function world() {
  const state = new DoubleState({ mergeabilityMs: 0 });
  const repo = state.seed('acme', 'infra', infraRepoFiles());
  return { state, repo, client: memoryClient(state) };
}

describe('memoryClient', () => {
  it('throws a 404 the port sees as final, with GitHub message', async () => {
    const { client } = world();
    const thrown = await client
      .request('GET /repos/{owner}/{repo}/pulls/{pull_number}', {
        owner: 'acme',
        repo: 'infra',
        pull_number: 9,
      })
      .catch((e: unknown) => e);
    const err = toGitHubError(thrown);
    expect([err.status, err.retryable, err.message]).toEqual([404, false, 'Not Found']);
  });

  it('throws GraphQL errors with the partial data, as Octokit does', async () => {
    const { client } = world();
    const thrown = await client.graphql('query Nope { x }').catch((e: unknown) => e);
    const err = toGitHubError(thrown);
    expect(err.status).toBe(200);
    expect(err.graphqlErrors[0]?.type).toBe('NOT_IMPLEMENTED');
  });

  it('drives the real port: a failover PR opened, merged, found by its merge commit', async () => {
    const { state, repo, client } = world();
    const port = createGitHubPort({ client, owner: 'acme', repo: 'infra', sleep: async () => undefined });
    const snap = await port.readSnapshot();
    const pr = await port.ensureFailoverPr(checkoutPlan(snap.view.headSha), snap);
    expect(pr.created).toBe(true);
    expect((await port.mergePr(pr.number)).outcome).toBe('merged');
    const sha = state.headSha(repo) ?? '';
    expect((await port.findPrForCommit(sha))?.number).toBe(pr.number);
  });
});

describe('plain issues', () => {
  it('share the number sequence with PRs, take comments and labels, and list with PRs by label', async () => {
    const { repo, client } = world();
    const p = { owner: 'acme', repo: 'infra' };
    const created = await client.request('POST /repos/{owner}/{repo}/issues', {
      ...p,
      title: 'status',
      body: 'one',
      labels: ['failover:status'],
    });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({ number: 1, state: 'open', labels: [{ name: 'failover:status' }] });
    expect(created.data.html_url).toBe('https://github.com/acme/infra/issues/1');
    // Like GitHub: naming an unknown label on an issue creates it.
    expect(repo.labels.has('failover:status')).toBe(true);

    await client.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
      ...p,
      issue_number: 1,
      body: 'two',
    });
    expect(repo.issues.get(1)?.body).toBe('two');
    await client.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      ...p,
      issue_number: 1,
      body: 'hi',
    });
    expect([...repo.comments.values()].map((c) => [c.issueNumber, c.body])).toEqual([[1, 'hi']]);

    const port = createGitHubPort({ client, owner: 'acme', repo: 'infra', sleep: async () => undefined });
    const snap = await port.readSnapshot();
    const pr = await port.ensureFailoverPr(checkoutPlan(snap.view.headSha), snap);
    expect(pr.number).toBe(2);
    await port.addLabels(pr.number, ['failover:status']);
    const listed = await client.request('GET /repos/{owner}/{repo}/issues', {
      ...p,
      labels: 'failover:status',
    });
    expect(
      listed.data.map((i: { number: number; pull_request?: unknown }) => [
        i.number,
        i.pull_request !== undefined,
      ]),
    ).toEqual([
      [2, true],
      [1, false],
    ]);
    const closedOnly = await client.request('GET /repos/{owner}/{repo}/issues', { ...p, state: 'closed' });
    expect(closedOnly.data).toEqual([]);
    const none = await client.request('GET /repos/{owner}/{repo}/issues', {
      ...p,
      labels: 'failover:status,other',
    });
    expect(none.data).toEqual([]);
    // Like GitHub, the issues API edits a PR's body too.
    const edited = await client.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
      ...p,
      issue_number: 2,
      body: 'x',
    });
    expect(edited.data.pull_request).toBeDefined();
    expect(repo.pulls.get(2)?.body).toBe('x');
  });

  it('follows an injected clock', () => {
    let ms = Date.parse('2026-12-01T00:00:00Z');
    const state = new DoubleState(() => ms);
    const repo = state.seed('acme', 'infra', infraRepoFiles());
    ms += 60_000;
    expect(state.openIssue(repo, { title: 't' }).createdAt).toBe('2026-12-01T00:01:00.000Z');
  });
});
