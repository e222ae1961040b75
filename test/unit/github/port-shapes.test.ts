// Request shapes the port sends to GitHub, pinned with strict nock (unused or unmatched mocks fail).
import nock from 'nock';
import { Octokit } from 'octokit';
import { describe, expect, it } from 'vitest';
import { createGitHubPort } from '../../../src/github/index.js';
import { CONFIG_TEXT, checkoutPlan, STATE_PATH, STATE_TEXT } from '../../helpers/github-double/fixtures.js';

const API = 'https://api.github.com';
const HEAD = 'a'.repeat(40);

function port() {
  const client = new Octokit({ auth: 'test', retry: { enabled: false }, throttle: { enabled: false } });
  return createGitHubPort({
    client,
    owner: 'acme',
    repo: 'infra',
    sleep: async () => {},
    selfLogin: 'gitops-failover[bot]',
  });
}

interface GqlBody {
  query: string;
  variables: Record<string, unknown>;
}

function snapshotAnswer(extra: Record<string, unknown> = {}) {
  return {
    data: {
      repository: {
        id: 'R_1',
        defaultBranchRef: {
          name: 'main',
          target: { oid: HEAD, config: { oid: 'c1', object: { text: CONFIG_TEXT } }, freeze: null, ...extra },
        },
        refs: { nodes: [] },
        merged: { nodes: [] },
      },
    },
  };
}

/** A snapshot of acme/infra at HEAD with nothing open, frozen or stale: what ensureFailoverPr starts from. */
function emptySnapshot() {
  return {
    repositoryId: 'R_1',
    staleBranches: {},
    view: {
      owner: 'acme',
      repo: 'infra',
      defaultBranch: 'main',
      headSha: HEAD,
      files: {},
      frozen: false,
      history: [],
      openPrs: [],
    },
  };
}

describe('port request shapes', () => {
  it('readSnapshot: FailoverSnapshot, then FailoverStateFiles at the same oid; warm: state files in the first query', async () => {
    const bodies: GqlBody[] = [];
    nock(API)
      .post('/graphql', (b: GqlBody) => b.query.startsWith('query FailoverSnapshot(') && bodies.push(b) > 0)
      .reply(200, snapshotAnswer());
    nock(API)
      .post('/graphql', (b: GqlBody) => b.query.startsWith('query FailoverStateFiles(') && bodies.push(b) > 0)
      .reply(200, { data: { repository: { s0: { text: STATE_TEXT } } } });
    nock(API)
      .post('/graphql', (b: GqlBody) => b.query.startsWith('query FailoverSnapshot(') && bodies.push(b) > 0)
      .reply(200, snapshotAnswer({ s0: { oid: 'x', object: { text: STATE_TEXT } } }));
    const p = port();
    const cold = await p.readSnapshot();
    const warm = await p.readSnapshot();
    expect(bodies[0]?.variables).toEqual({
      owner: 'acme',
      name: 'infra',
      configPath: '.github/failover.yml',
      freezePath: '.github/failover.freeze',
    });
    expect(bodies[1]?.variables).toEqual({ owner: 'acme', name: 'infra', s0: `${HEAD}:${STATE_PATH}` });
    expect(bodies[1]?.query).toContain('object(expression: $s0)');
    expect(bodies[2]?.variables).toMatchObject({ s0: STATE_PATH });
    expect(cold.view.files).toEqual({ [STATE_PATH]: STATE_TEXT });
    expect(warm.view.files).toEqual(cold.view.files);
  });

  it('ensureFailoverPr: one mutation with createRef, createCommitOnBranch(expectedHeadOid) and createPullRequest', async () => {
    let sent: GqlBody | undefined;
    nock(API)
      .post('/graphql', (b: GqlBody) => {
        sent = b;
        return b.query.startsWith('mutation FailoverOpenPr(');
      })
      .reply(200, {
        data: {
          ref: { ref: { name: 'x' } },
          commit: { commit: { oid: 'b' } },
          pr: { pullRequest: { id: 'P', number: 7, url: 'u7' } },
        },
      });
    const plan = checkoutPlan(HEAD);
    expect(await port().ensureFailoverPr(plan, emptySnapshot())).toEqual({
      number: 7,
      url: 'u7',
      created: true,
    });
    expect(sent?.query).toMatch(
      /createRef\(input: \{ repositoryId: \$repositoryId, name: \$ref, oid: \$headSha \}\)/,
    );
    expect(sent?.query).toContain('expectedHeadOid: $headSha');
    expect(sent?.variables).toMatchObject({
      repositoryId: 'R_1',
      ref: 'refs/heads/failover/checkout',
      headSha: HEAD,
      branch: { repositoryNameWithOwner: 'acme/infra', branchName: 'failover/checkout' },
      headline: 'Failover checkout: us-east-1 → us-west-2',
      commitBody: 'RegionDown firing for us-east-1.',
      base: 'main',
      head: 'failover/checkout',
      title: plan.title,
      prBody: plan.body,
    });
    const additions = sent?.variables.additions as { path: string; contents: string }[];
    expect(additions.map((a) => [a.path, Buffer.from(a.contents, 'base64').toString('utf8')])).toEqual([
      [STATE_PATH, STATE_TEXT.replace('us-east-1', 'us-west-2')],
    ]);
  });

  it('ensureFailoverPr: a lost race (ref exists) reads the winner’s PR instead of opening one', async () => {
    nock(API)
      .post('/graphql')
      .reply(200, {
        data: { ref: null, commit: null, pr: null },
        errors: [
          {
            type: 'UNPROCESSABLE',
            message: 'A ref named "refs/heads/failover/checkout" already exists in the repository.',
            path: ['ref'],
          },
          {
            type: 'STALE_DATA',
            message: 'Expected branch to point to "a" but it did not.',
            path: ['commit'],
          },
          {
            type: 'UNPROCESSABLE',
            message: 'A pull request already exists for acme:failover/checkout.',
            path: ['pr'],
          },
        ],
      });
    nock(API)
      .get('/repos/acme/infra/pulls')
      .query({ head: 'acme:failover/checkout', state: 'all', per_page: '10' })
      .reply(200, [
        { number: 3, html_url: 'u3', state: 'closed', merged_at: null },
        { number: 4, html_url: 'u4', state: 'open', merged_at: null },
      ]);
    // No marker of the app's on it: the body comes back empty, so the loser never merges that PR.
    expect(await port().ensureFailoverPr(checkoutPlan(HEAD), emptySnapshot())).toEqual({
      number: 4,
      url: 'u4',
      created: false,
      body: '',
    });
  });

  /** GitHub's answer to FailoverMergeState for PR `number`. */
  function mergeState(number: number, status: string, extra: Record<string, unknown> = {}) {
    nock(API)
      .post(
        '/graphql',
        (b: GqlBody) => b.query.startsWith('query FailoverMergeState(') && b.variables.number === number,
      )
      .reply(200, {
        data: {
          repository: {
            autoMergeAllowed: true,
            pullRequest: {
              id: `P${number}`,
              number,
              state: 'OPEN',
              merged: false,
              isDraft: false,
              mergeStateStatus: status,
              isMergeQueueEnabled: false,
              headRefOid: HEAD,
              autoMergeRequest: null,
              ...extra,
            },
          },
        },
      });
  }

  it('mergePr: squash with the head sha as compare-and-swap; 409 is refused with GitHub’s message', async () => {
    mergeState(5, 'CLEAN');
    nock(API)
      .put('/repos/acme/infra/pulls/5/merge', { merge_method: 'squash', sha: HEAD })
      .reply(409, { message: 'Head branch was modified. Review and try the merge again.' });
    const result = await port().mergePr(5);
    expect(result.outcome).toBe('refused');
    expect(result.message).toContain('Head branch was modified');
  });

  it('mergePr: blocked → enablePullRequestAutoMerge with the PR node id and head as compare-and-swap', async () => {
    mergeState(6, 'BLOCKED');
    nock(API)
      .post(
        '/graphql',
        (b: GqlBody) =>
          b.query.startsWith('mutation FailoverAutoMerge(') &&
          b.variables.pullRequestId === 'P6' &&
          b.variables.mergeMethod === 'SQUASH' &&
          b.variables.expectedHeadOid === HEAD,
      )
      .reply(200, { data: { enablePullRequestAutoMerge: { pullRequest: { number: 6 } } } });
    expect((await port().mergePr(6)).outcome).toBe('auto-merge');
  });

  it('mergePr: a merge-queue base → enqueuePullRequest, never a direct merge', async () => {
    mergeState(7, 'BLOCKED', { isMergeQueueEnabled: true });
    nock(API)
      .post(
        '/graphql',
        (b: GqlBody) =>
          b.query.startsWith('mutation FailoverEnqueue(') &&
          b.variables.pullRequestId === 'P7' &&
          b.variables.expectedHeadOid === HEAD,
      )
      .reply(200, { data: { enqueuePullRequest: { mergeQueueEntry: { position: 2 } } } });
    expect(await port().mergePr(7)).toEqual({
      outcome: 'queued',
      message: expect.stringContaining('position 2'),
    });
  });

  /** The FailoverAutoMerge mutation for PR `number`, answered with `reply`. */
  function autoMerge(number: number, reply: Record<string, unknown>) {
    nock(API)
      .post(
        '/graphql',
        (b: GqlBody) =>
          b.query.startsWith('mutation FailoverAutoMerge(') && b.variables.pullRequestId === `P${number}`,
      )
      .reply(200, reply);
  }
  const gqlError = (message: string) => ({
    data: { enablePullRequestAutoMerge: null },
    errors: [{ type: 'UNPROCESSABLE', message, path: ['enablePullRequestAutoMerge'] }],
  });

  it('mergePr: unknown → auto-merge; GitHub says it is clean by now → one direct merge', async () => {
    mergeState(8, 'UNKNOWN');
    autoMerge(8, gqlError('Pull request is in clean status'));
    nock(API)
      .put('/repos/acme/infra/pulls/8/merge', { merge_method: 'squash', sha: HEAD })
      .reply(200, { merged: true });
    expect((await port().mergePr(8)).outcome).toBe('merged');
  });

  it('mergePr: clean, but a 405 for a required review → auto-merge instead of "merge it by hand"', async () => {
    mergeState(9, 'CLEAN');
    nock(API)
      .put('/repos/acme/infra/pulls/9/merge')
      .reply(405, { message: 'At least 1 approving review is required by reviewers with write access.' });
    autoMerge(9, { data: { enablePullRequestAutoMerge: { pullRequest: { number: 9 } } } });
    expect((await port().mergePr(9)).outcome).toBe('auto-merge');
  });

  it('mergePr: "Auto merge is not allowed for this repository" → the setting to turn on, no retry', async () => {
    mergeState(10, 'BLOCKED');
    autoMerge(10, gqlError('Auto merge is not allowed for this repository'));
    const result = await port().mergePr(10);
    expect(result.outcome).toBe('refused');
    expect(result.message).toContain(
      'turn on "Allow auto-merge" in acme/infra (Settings → General → Pull Requests',
    );
  });

  it('mergePr: a 405 that is not about protection is reported, not handed over', async () => {
    mergeState(11, 'CLEAN');
    nock(API)
      .put('/repos/acme/infra/pulls/11/merge')
      .reply(405, { message: 'Base branch was modified. Review and try the merge again.' });
    expect(await port().mergePr(11)).toEqual({
      outcome: 'refused',
      message: expect.stringContaining('Base branch was modified'),
    });
  });

  it('ensureComment: pages through comments, ignores a human’s copy of the marker, edits only our own', async () => {
    const marker = '<!-- gitops-failover:comment:plan -->';
    const filler = Array.from({ length: 100 }, (_, i) => ({
      id: i + 1,
      body: 'chatter',
      user: { login: 'alice', type: 'User' },
    }));
    nock(API)
      .get('/repos/acme/infra/issues/3/comments')
      .query({ per_page: '100', page: '1' })
      .reply(200, filler);
    nock(API)
      .get('/repos/acme/infra/issues/3/comments')
      .query({ per_page: '100', page: '2' })
      .reply(200, [
        { id: 500, body: `${marker}\nquoted by a human`, user: { login: 'alice', type: 'User' } },
        { id: 501, body: `${marker}\nold`, user: { login: 'gitops-failover[bot]', type: 'Bot' } },
      ]);
    nock(API)
      .patch('/repos/acme/infra/issues/comments/501', { body: `${marker}\nnew` })
      .reply(200, { id: 501 });
    expect(await port().ensureComment(3, 'plan', 'new')).toEqual({ id: 501, action: 'updated' });
  });

  it('closePr: comment, close, delete the branch at the commit it saw (compare-and-swap); a moved or deleted ref is kept', async () => {
    const close = () => {
      nock(API)
        .post('/repos/acme/infra/issues/8/comments', { body: 'resolved' })
        .reply(201, { id: 1, html_url: 'c' });
      nock(API)
        .patch('/repos/acme/infra/pulls/8', { state: 'closed' })
        .reply(200, { number: 8, state: 'closed', head: { ref: 'failover/checkout', sha: HEAD } });
    };
    const deletion = { repositoryId: 'R_1', headSha: HEAD };
    close();
    nock(API)
      .post(
        '/graphql',
        (b: { query: string; variables: Record<string, unknown> }) =>
          b.query.includes('FailoverDeleteBranch') &&
          b.variables.ref === 'refs/heads/failover/checkout' &&
          b.variables.beforeOid === HEAD,
      )
      .reply(200, { data: { updateRefs: { clientMutationId: null } } });
    await expect(port().closePr(8, 'resolved', deletion)).resolves.toEqual({ branchDeleted: true });
    close();
    nock(API)
      .post('/graphql')
      .reply(200, { data: { updateRefs: null }, errors: [{ type: 'STALE_DATA', message: 'moved' }] });
    await expect(port().closePr(8, 'resolved', deletion)).resolves.toEqual({ branchDeleted: false });
    // Without a commit to delete at, the branch is never touched.
    close();
    await expect(port().closePr(8, 'resolved')).resolves.toEqual({ branchDeleted: false });
  });

  it('getPermission maps role_name (triage, maintain) and treats 404 as read', async () => {
    nock(API)
      .get('/repos/acme/infra/collaborators/tri/permission')
      .reply(200, { permission: 'read', role_name: 'triage' });
    nock(API)
      .get('/repos/acme/infra/collaborators/custom/permission')
      .reply(200, { permission: 'write', role_name: 'deployer' });
    nock(API).get('/repos/acme/infra/collaborators/nobody/permission').reply(404, { message: 'Not Found' });
    const p = port();
    expect(await p.getPermission('tri')).toBe('triage');
    expect(await p.getPermission('custom')).toBe('write');
    expect(await p.getPermission('nobody')).toBe('read');
  });

  it('addLabels creates missing labels (422 = exists) once per port, then adds them', async () => {
    nock(API)
      .post('/repos/acme/infra/labels', { name: 'failover', color: 'b60205' })
      .reply(422, { message: 'Validation Failed' });
    nock(API).post('/repos/acme/infra/labels', { name: 'failover:manual', color: 'fbca04' }).reply(201, {});
    nock(API)
      .post('/repos/acme/infra/issues/9/labels', { labels: ['failover', 'failover:manual'] })
      .twice()
      .reply(200, []);
    const p = port();
    await expect(p.addLabels(9, ['failover', 'failover:manual'])).resolves.toBeUndefined();
    await expect(p.addLabels(9, ['failover', 'failover:manual'])).resolves.toBeUndefined();
    // Both labels were ensured and both adds made; a second ensure would have been an unmatched request.
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('createDeployment targets failover/<service> without auto-merge or required contexts', async () => {
    nock(API)
      .post('/repos/acme/infra/deployments', {
        ref: HEAD,
        environment: 'failover/checkout',
        auto_merge: false,
        required_contexts: [],
      })
      .reply(201, { id: 77 });
    expect(await port().createDeployment({ service: 'checkout', ref: HEAD })).toEqual({ id: 77 });
  });
});
