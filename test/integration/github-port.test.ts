// The GitHub port against the GitHub double: a real HTTP server with GitHub's semantics.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { parseMarker } from '../../src/core/render/index.js';
import { createGitHubPort, GitHubError, type GitHubPort } from '../../src/github/index.js';
import {
  CONFIG_TEXT,
  checkoutPlan,
  infraRepoFiles,
  STATE_PATH,
  STATE_TEXT,
} from '../helpers/github-double/fixtures.js';
import {
  doubleClient,
  type GitHubDouble,
  type RepoState,
  startGitHubDouble,
} from '../helpers/github-double/index.js';

let double: GitHubDouble;
let repo: RepoState;
const sleeps: number[] = [];

function port(): GitHubPort {
  return createGitHubPort({
    client: doubleClient(double),
    owner: 'acme',
    repo: 'infra',
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
}

beforeEach(async () => {
  sleeps.length = 0;
  double = await startGitHubDouble();
  repo = double.state.seed('acme', 'infra', infraRepoFiles());
});

afterEach(async () => {
  await double.close();
});

describe('readSnapshot', () => {
  it('reads config, state files and head at one commit in two round trips, then one when warm', async () => {
    const p = port();
    const snap = await p.readSnapshot();
    expect(snap.config?.services.checkout?.targets).toEqual(['us-east-1', 'us-west-2']);
    expect(snap.view.files).toEqual({ [STATE_PATH]: STATE_TEXT });
    expect(snap.view.headSha).toBe(double.state.headSha(repo));
    expect(snap.view.defaultBranch).toBe('main');
    expect(snap.view.frozen).toBe(false);
    expect(snap.repositoryId).toBe(repo.id);
    expect(double.counters()).toEqual({ 'graphql FailoverSnapshot': 1, 'graphql FailoverStateFiles': 1 });

    const before = double.calls.length;
    const warm = await p.readSnapshot();
    expect(double.calls.length - before).toBe(1);
    expect(warm.view.files).toEqual(snap.view.files);
  });

  it('answers 404 for a repository the installation cannot see', async () => {
    const p = createGitHubPort({
      client: doubleClient(double),
      owner: 'acme',
      repo: 'nope',
      sleep: async () => {},
    });
    await expect(p.readSnapshot()).rejects.toMatchObject({
      name: 'GitHubError',
      status: 404,
      retryable: false,
    });
  });

  it('reports an invalid config as configError and a missing one as no config', async () => {
    double.state.push(repo, 'main', { '.github/failover.yml': 'version: 2\nservices: {}\n' });
    const bad = await port().readSnapshot();
    expect(bad.config).toBeUndefined();
    expect(bad.configError).toBeInstanceOf(ConfigError);
    expect(bad.configError?.issues[0]?.file).toBe('.github/failover.yml');

    double.state.push(repo, 'main', { '.github/failover.yml': null });
    const none = await port().readSnapshot();
    expect(none.config).toBeUndefined();
    expect(none.configError).toBeUndefined();
  });

  it('sees the freeze file, a changed config on the next read, and history from merged PR markers', async () => {
    const p = port();
    await p.readSnapshot();
    double.state.push(repo, 'main', {
      '.github/failover.freeze': 'incident 42\n',
      '.github/failover.yml': `${CONFIG_TEXT}# edited\n`,
    });
    const snap = await p.readSnapshot();
    expect(snap.view.frozen).toBe(true);
    expect(snap.config?.services.checkout).toBeDefined();

    const pr = await p.ensureFailoverPr(checkoutPlan(snap.view.headSha), snap);
    await p.addLabels(pr.number, ['failover', 'failover:auto']);
    expect((await p.mergePr(pr.number)).outcome).toBe('merged');
    const after = await p.readSnapshot();
    expect(after.view.history).toEqual([
      expect.objectContaining({
        services: ['checkout'],
        from: 'us-east-1',
        to: 'us-west-2',
        kind: 'auto',
        pr: pr.number,
      }),
    ]);
    expect(after.view.files[STATE_PATH]).toContain('us-west-2');
    expect(after.view.openPrs).toEqual([]);
  });

  it('counts a merged failover whose labels never arrived (labels go on off the critical path)', async () => {
    const p = port();
    const pr = await p.ensureFailoverPr(
      checkoutPlan(double.state.headSha(repo) ?? ''),
      await p.readSnapshot(),
    );
    expect((await p.mergePr(pr.number)).outcome).toBe('merged');
    expect(repo.pulls.get(pr.number)?.labels).toEqual([]);
    // A merged PR that is not from a failover/ branch is not history, even with a marker in its body.
    const copied = repo.pulls.get(pr.number)?.body ?? '';
    const docs = double.state.push(repo, 'docs-1', { 'README.md': 'docs\n' });
    repo.pulls.set(repo.nextNumber, {
      number: repo.nextNumber,
      nodeId: 'PR_docs',
      title: 'Docs',
      body: `Quoting the failover PR:\n${copied}`,
      head: 'docs-1',
      base: 'main',
      state: 'closed',
      merged: true,
      mergedAt: double.state.now(),
      lastHeadSha: docs.sha,
      labels: [],
      user: { login: 'alice', type: 'User' },
      createdAt: double.state.now(),
    });
    repo.nextNumber++;
    const after = await p.readSnapshot();
    expect(after.view.history).toEqual([
      expect.objectContaining({ services: ['checkout'], from: 'us-east-1', to: 'us-west-2', pr: pr.number }),
    ]);
  });
});

describe('ensureFailoverPr', () => {
  it('opens branch, commit and PR in one mutation with the state file changed on the branch', async () => {
    const p = port();
    const snap = await p.readSnapshot();
    const before = double.calls.length;
    const pr = await p.ensureFailoverPr(checkoutPlan(snap.view.headSha), snap);
    expect(pr.created).toBe(true);
    expect(double.calls.slice(before).map((c) => c.name)).toEqual(['graphql FailoverOpenPr']);
    expect(double.state.files(repo, 'failover/checkout')[STATE_PATH]).toContain('"us-west-2"');
    expect(double.state.files(repo)[STATE_PATH]).toBe(STATE_TEXT);
    const pull = repo.pulls.get(pr.number);
    expect(pull?.title).toBe('Failover checkout: us-east-1 → us-west-2');
    expect(pull?.base).toBe('main');
  });

  it('opens exactly one PR when two replicas race; the loser returns the winner’s PR', async () => {
    const [a, b] = [port(), port()];
    const [snapA, snapB] = await Promise.all([a.readSnapshot(), b.readSnapshot()]);
    const results = await Promise.all([
      a.ensureFailoverPr(checkoutPlan(snapA.view.headSha), snapA),
      b.ensureFailoverPr(checkoutPlan(snapB.view.headSha), snapB),
    ]);
    expect(repo.pulls.size).toBe(1);
    expect(results[0].number).toBe(results[1].number);
    expect(results.map((r) => r.created).sort()).toEqual([false, true]);
  });

  it('updates the existing PR instead of opening another', async () => {
    const p = port();
    const first = await p.ensureFailoverPr(
      checkoutPlan(double.state.headSha(repo) ?? ''),
      await p.readSnapshot(),
    );
    const snap = await p.readSnapshot();
    expect(snap.view.openPrs.map((o) => o.number)).toEqual([first.number]);
    expect(snap.view.openPrs[0]?.humanEdited).toBeUndefined();
    expect(snap.view.openPrs[0]?.marker.changes).toEqual([
      { service: 'checkout', from: 'us-east-1', to: 'us-west-2' },
    ]);
    const plan = { ...checkoutPlan(snap.view.headSha), body: `${checkoutPlan('').body}\n\nTimeline: merged` };
    const again = await p.ensureFailoverPr(plan, snap);
    expect(again).toEqual({ number: first.number, url: first.url, created: false });
    expect(repo.pulls.get(first.number)?.body).toContain('Timeline: merged');
    expect(repo.pulls.size).toBe(1);
  });

  it('takes over a leftover branch of a merged failover with a compare-and-swap', async () => {
    const p = port();
    const first = await p.ensureFailoverPr(
      checkoutPlan(double.state.headSha(repo) ?? ''),
      await p.readSnapshot(),
    );
    expect((await p.mergePr(first.number)).outcome).toBe('merged');
    const snap = await p.readSnapshot();
    expect(Object.keys(snap.staleBranches)).toEqual(['failover/checkout']);
    const back = await p.ensureFailoverPr(checkoutPlan(snap.view.headSha, 'us-east-1', 'us-west-2'), snap);
    expect(back.created).toBe(true);
    expect(back.number).not.toBe(first.number);
    expect(double.state.files(repo, 'failover/checkout')[STATE_PATH]).toContain('"us-east-1"');
  });

  it('marks an open PR a human pushed to', async () => {
    const p = port();
    await p.ensureFailoverPr(checkoutPlan(double.state.headSha(repo) ?? ''), await p.readSnapshot());
    double.state.push(repo, 'failover/checkout', { 'notes.md': 'manual fix\n' });
    const snap = await p.readSnapshot();
    expect(snap.view.openPrs[0]?.humanEdited).toBe(true);
  });

  it('never commits on top of a branch that moved away, and never adopts a PR on that foreign branch', async () => {
    const p = port();
    const snap = await p.readSnapshot();
    // Someone else created the branch at another commit after our read, and no PR exists yet.
    const other = double.state.push(repo, 'main', { 'other.txt': 'x\n' });
    repo.refs.set('refs/heads/failover/checkout', other.sha);
    repo.refs.set('refs/heads/main', snap.view.headSha);
    const err = await p.ensureFailoverPr(checkoutPlan(snap.view.headSha), snap).catch((e: unknown) => e);
    // The commit was refused (stale expectedHeadOid) and the other run's branch is untouched.
    expect(double.state.files(repo, 'failover/checkout')[STATE_PATH]).toBe(STATE_TEXT);
    // The batched createPullRequest still opened a PR on that branch: it is not ours, so it is closed,
    // and the caller gets a retryable error instead of a PR that would ship someone else's change.
    expect(err).toBeInstanceOf(GitHubError);
    expect((err as GitHubError).retryable).toBe(true);
    expect([...repo.pulls.values()].map((pr) => pr.state)).toEqual(['closed']);
  });

  it('adopts the PR when a twin replica committed the same change on the same base first', async () => {
    const [a, b] = [port(), port()];
    const snap = await a.readSnapshot();
    // b wins the branch and the commit but has not opened its PR yet; a's batch opens the PR first.
    const plan = checkoutPlan(snap.view.headSha);
    repo.refs.set('refs/heads/failover/checkout', snap.view.headSha);
    const twin = double.state.commit(
      repo,
      [snap.view.headSha],
      new Map([...(repo.commits.get(snap.view.headSha)?.tree ?? []), [STATE_PATH, plan.edits[0]!.newText]]),
      plan.commitMessage,
      { login: 'gitops-failover[bot]', type: 'Bot' },
    );
    repo.refs.set('refs/heads/failover/checkout', twin.sha);
    const pr = await a.ensureFailoverPr(plan, snap);
    expect(pr.created).toBe(true);
    expect(repo.pulls.get(pr.number)?.state).toBe('open');
    const bResult = await b.ensureFailoverPr(plan, snap);
    // The loser also gets the winner's body, so it can re-judge what that PR does (issue 7).
    expect(bResult).toEqual({
      number: pr.number,
      url: pr.url,
      created: false,
      body: repo.pulls.get(pr.number)?.body,
    });
    expect(bResult.body).toContain('<!-- gitops-failover ');
    expect(repo.pulls.size).toBe(1);
  });

  it('never leaves a second open PR when a stale replica acts after the winner squash-merged: it gets the merged winner', async () => {
    const [a, b] = [port(), port()];
    const staleSnap = await a.readSnapshot();
    const won = await b.ensureFailoverPr(checkoutPlan(staleSnap.view.headSha), await b.readSnapshot());
    await b.addLabels(won.number, ['failover', 'failover:auto']);
    expect((await b.mergePr(won.number)).outcome).toBe('merged');
    // a still believes nothing happened: its createRef and commit fail, its createPullRequest succeeds
    // on the winner's leftover branch. That PR must be closed at once, never returned as a failover;
    // what a gets back is the winner's PR, merged after its snapshot, for the service to re-judge.
    const found = await a.ensureFailoverPr(checkoutPlan(staleSnap.view.headSha), staleSnap);
    expect(found).toMatchObject({ number: won.number, created: false, merged: true });
    expect(parseMarker(found.body ?? '')?.changes[0]).toMatchObject({ to: 'us-west-2' });
    const open = [...repo.pulls.values()].filter((pr) => pr.state === 'open');
    expect(open).toEqual([]);
    expect([...repo.pulls.values()].filter((pr) => pr.state === 'closed' && !pr.merged)).toHaveLength(1);
    expect(repo.pulls.get(won.number)?.merged).toBe(true);
    // The retry reads a fresh snapshot: history shows the merged failover and nothing is opened again.
    const fresh = await a.readSnapshot();
    expect(fresh.view.history.map((h) => h.pr)).toContain(won.number);
  });
});

describe('the winner of a lost race, with trust', () => {
  const keys = { current: 'race-marker-key-0123456789abcdef0123456789abcdef', previous: [] };
  const trusted = () =>
    createGitHubPort({
      client: doubleClient(double),
      owner: 'acme',
      repo: 'infra',
      trust: { keys, appSlug: 'gitops-failover' },
    });

  it("hands back the winner's body only while its signed marker verifies", async () => {
    const [a, b] = [trusted(), trusted()];
    const staleSnap = await a.readSnapshot();
    const won = await b.ensureFailoverPr(checkoutPlan(staleSnap.view.headSha), await b.readSnapshot());
    const again = await a.ensureFailoverPr(checkoutPlan(staleSnap.view.headSha), staleSnap);
    expect(again).toMatchObject({ number: won.number, created: false });
    expect(again.body).toContain('sig=v1.');
    // Someone with write access edits the marker (another destination): the loser no longer gets it.
    const pr = repo.pulls.get(won.number);
    if (pr) pr.body = pr.body.replace('"to":"us-west-2"', '"to":"eu-west-1"');
    const edited = await a.ensureFailoverPr(checkoutPlan(staleSnap.view.headSha), staleSnap);
    expect(edited).toMatchObject({ number: won.number, created: false, body: '' });
  });
});

describe('mergePr', () => {
  async function openPr(p: GitHubPort): Promise<number> {
    return (await p.ensureFailoverPr(checkoutPlan(double.state.headSha(repo) ?? ''), await p.readSnapshot()))
      .number;
  }

  it('merges a clean PR and moves the default branch', async () => {
    const p = port();
    const n = await openPr(p);
    expect(await p.mergePr(n)).toEqual({ outcome: 'merged', message: expect.stringContaining(`#${n}`) });
    expect(double.state.files(repo)[STATE_PATH]).toContain('us-west-2');
  });

  it('enables auto-merge when blocked on required checks', async () => {
    const p = port();
    const n = await openPr(p);
    repo.flags.requiredChecksPending = true;
    expect((await p.mergePr(n)).outcome).toBe('auto-merge');
    expect(repo.pulls.get(n)?.autoMerge).toEqual({ mergeMethod: 'SQUASH' });
  });

  it('reports a 405 from rulesets or a merge queue without retrying', async () => {
    const p = port();
    const n = await openPr(p);
    repo.flags.mergeRefusal =
      'Repository rule violations found: changes must be made through the merge queue';
    const before = double.calls.length;
    const result = await p.mergePr(n);
    expect(result.outcome).toBe('refused');
    expect(result.message).toContain('merge queue');
    expect(double.calls.slice(before).filter((c) => c.name.endsWith('/merge'))).toHaveLength(1);
  });

  it('refuses a conflicting PR', async () => {
    const p = port();
    const n = await openPr(p);
    repo.flags.conflicting = true;
    expect((await p.mergePr(n)).outcome).toBe('refused');
  });
});

describe('closePr, comments and the small verbs', () => {
  it('closes with a comment and deletes the branch at the commit it saw', async () => {
    const p = port();
    const { number } = await p.ensureFailoverPr(
      checkoutPlan(double.state.headSha(repo) ?? ''),
      await p.readSnapshot(),
    );
    const snap = await p.readSnapshot();
    const open = snap.view.openPrs.find((o) => o.number === number)!;
    const deletion = { repositoryId: snap.repositoryId, headSha: open.headSha };
    await expect(p.closePr(number, 'Alerts resolved before merge.', deletion)).resolves.toEqual({
      branchDeleted: true,
    });
    expect(repo.pulls.get(number)?.state).toBe('closed');
    expect(repo.refs.has('refs/heads/failover/checkout')).toBe(false);
    expect([...repo.comments.values()].map((c) => c.body)).toEqual(['Alerts resolved before merge.']);
    await expect(p.closePr(number, '', deletion)).resolves.toEqual({ branchDeleted: false });
  });

  it('keeps one sticky comment: created, unchanged, updated', async () => {
    const p = port();
    const { number } = await p.ensureFailoverPr(
      checkoutPlan(double.state.headSha(repo) ?? ''),
      await p.readSnapshot(),
    );
    const created = await p.ensureComment(number, 'plan', 'Plan: 1 to change');
    expect(created.action).toBe('created');
    expect(await p.ensureComment(number, 'plan', 'Plan: 1 to change')).toEqual({
      id: created.id,
      action: 'unchanged',
    });
    expect(await p.ensureComment(number, 'plan', 'Plan: 2 to change')).toEqual({
      id: created.id,
      action: 'updated',
    });
    expect(await p.ensureComment(number, 'verify', 'ok')).toMatchObject({ action: 'created' });
    expect(repo.comments.size).toBe(2);
    expect(repo.comments.get(created.id)?.body).toContain('<!-- gitops-failover:comment:plan -->');
  });

  it('splits a body over 65,536 characters into continuation comments and removes them when it shrinks', async () => {
    const p = port();
    const { number } = await p.ensureFailoverPr(
      checkoutPlan(double.state.headSha(repo) ?? ''),
      await p.readSnapshot(),
    );
    const long = Array.from({ length: 3000 }, (_, i) => `line ${i} ${'x'.repeat(40)}`).join('\n');
    expect((await p.ensureComment(number, 'plan', long)).action).toBe('created');
    const bodies = [...repo.comments.values()].map((c) => c.body);
    expect(bodies.length).toBe(3);
    expect(bodies.every((b) => b.length <= 65_536)).toBe(true);
    expect(bodies[1]).toContain('<!-- gitops-failover:comment:plan:2 -->');
    expect((await p.ensureComment(number, 'plan', 'short now')).action).toBe('updated');
    expect(repo.comments.size).toBe(1);
  });

  it('maps permissions, team membership, labels, reactions and commit → PR', async () => {
    const p = port();
    repo.collaborators.set('alice', 'maintain');
    repo.collaborators.set('bob', 'triage');
    double.state.teams.set('acme/sre', new Set(['alice']));
    expect(await p.getPermission('alice')).toBe('maintain');
    expect(await p.getPermission('bob')).toBe('triage');
    expect(await p.getPermission('mallory')).toBe('read');
    expect(await p.isTeamMember('sre', 'alice')).toBe(true);
    expect(await p.isTeamMember('acme/sre', 'bob')).toBe(false);

    const pr = await p.ensureFailoverPr(
      checkoutPlan(double.state.headSha(repo) ?? ''),
      await p.readSnapshot(),
    );
    await p.addLabels(pr.number, ['failover', 'failover:auto']);
    await p.addLabels(pr.number, ['failover']);
    expect(repo.pulls.get(pr.number)?.labels).toEqual(['failover', 'failover:auto']);
    expect(repo.labels.get('failover')?.color).toBe('b60205');

    const c = await p.comment(pr.number, 'hello');
    await p.react(c.id, 'eyes');
    expect(repo.comments.get(c.id)?.reactions.map((r) => r.content)).toEqual(['eyes']);

    await p.mergePr(pr.number);
    const mergeSha = double.state.headSha(repo) ?? '';
    expect(await p.findPrForCommit(mergeSha)).toMatchObject({
      number: pr.number,
      body: expect.stringContaining('gitops-failover'),
    });
    expect(await p.findPrForCommit('0'.repeat(40))).toBeUndefined();
  });

  it('creates check runs and deployments for the Action', async () => {
    const p = port();
    const sha = double.state.headSha(repo) ?? '';
    const run = await p.createCheckRun({ name: 'failover / apply', headSha: sha, status: 'in_progress' });
    await p.updateCheckRun(run.id, {
      conclusion: 'success',
      output: { title: 'Verified', summary: 'all checks passed' },
    });
    expect(repo.checkRuns.get(run.id)).toMatchObject({
      head_sha: sha,
      status: 'completed',
      conclusion: 'success',
    });
    const dep = await p.createDeployment({ service: 'checkout', ref: sha });
    await p.createDeploymentStatus(dep.id, 'success', { description: 'verified' });
    expect(repo.deployments.get(dep.id)).toMatchObject({
      environment: 'failover/checkout',
      auto_merge: false,
      required_contexts: [],
      statuses: [expect.objectContaining({ state: 'success' })],
    });
  });
});

describe('faults', () => {
  it('ends in exactly one PR through 5xx and secondary rate limits, honouring retry-after', async () => {
    double.setFaults({
      sequence: [
        { status: 502 },
        { status: 403, retryAfter: 7 },
        null,
        { status: 429, retryAfter: 2 },
        { status: 503 },
      ],
    });
    const p = port();
    const snap = await p.readSnapshot();
    const pr = await p.ensureFailoverPr(checkoutPlan(snap.view.headSha), snap);
    expect(pr.created).toBe(true);
    expect(repo.pulls.size).toBe(1);
    expect(sleeps).toContain(7000);
    expect(sleeps).toContain(2000);
    expect(double.calls.filter((c) => c.faulted)).toHaveLength(4);
  });

  it('does not retry a 404', async () => {
    const p = createGitHubPort({
      client: doubleClient(double),
      owner: 'acme',
      repo: 'missing',
      sleep: async () => {},
    });
    await expect(p.closePr(1, '')).rejects.toMatchObject({
      name: 'GitHubError',
      status: 404,
      retryable: false,
    });
    expect(double.calls).toHaveLength(1);
  });
});
