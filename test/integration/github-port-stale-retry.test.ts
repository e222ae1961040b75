// Two replicas and a retry wait: while one replica's port waits to retry a failed GitHub call, the other
// opens AND merges the same failover. The waiting port must act on what GitHub holds after the wait,
// not on what it read before it (found by bench/faults.bench.ts: duplicate failover PRs at 30% faults).
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createGitHubPort, type GitHubPort } from '../../src/github/index.js';
import { checkoutPlan, infraRepoFiles } from '../helpers/github-double/fixtures.js';
import {
  doubleClient,
  type GitHubDouble,
  type RepoState,
  startGitHubDouble,
} from '../helpers/github-double/index.js';

let double: GitHubDouble;
let repo: RepoState;

beforeEach(async () => {
  double = await startGitHubDouble();
  repo = double.state.seed('acme', 'infra', infraRepoFiles());
});

afterEach(async () => {
  await double.close();
});

/** A port whose first retry wait is spent running `meanwhile` (the other replica's work). */
function waitingPort(meanwhile: () => Promise<void>): GitHubPort {
  let waited = false;
  return createGitHubPort({
    client: doubleClient(double),
    owner: 'acme',
    repo: 'infra',
    retry: { retries: 2, baseMs: 1 },
    sleep: async () => {
      if (waited) return;
      waited = true;
      await meanwhile();
    },
  });
}

/** The other replica: reads, opens the failover PR, labels it and merges it. */
async function otherReplicaFailsOver(): Promise<number> {
  const other = createGitHubPort({ client: doubleClient(double), owner: 'acme', repo: 'infra' });
  const snap = await other.readSnapshot();
  const pr = await other.ensureFailoverPr(checkoutPlan(snap.view.headSha), snap);
  await other.addLabels(pr.number, ['failover', 'failover:auto']);
  expect((await other.mergePr(pr.number)).outcome).toBe('merged');
  return pr.number;
}

it('a failover merged by another replica while the PR mutation waited to be retried is returned, not repeated', async () => {
  let winner = 0;
  const port = waitingPort(async () => {
    winner = await otherReplicaFailsOver();
  });
  const snap = await port.readSnapshot();
  // The first FailoverOpenPr of the waiting port fails with a 502 (GitHub did nothing).
  double.setFaults({ sequence: [{ status: 502 }], match: (name) => name === 'graphql FailoverOpenPr' });
  const result = await port.ensureFailoverPr(checkoutPlan(snap.view.headSha), snap);

  expect(winner).toBe(1);
  expect(result).toMatchObject({ number: winner, created: false });
  expect([...repo.pulls.values()].map((p) => [p.number, p.state, p.merged])).toEqual([[1, 'closed', true]]);
  // Only the failed attempt was sent by the waiting port: after the wait it found the merged PR.
  expect(double.counters()['graphql FailoverOpenPr']).toBe(2);
});

it('a snapshot whose second read is retried after a wait is read again from the start', async () => {
  let winner = 0;
  const port = waitingPort(async () => {
    winner = await otherReplicaFailsOver();
  });
  const headBefore = double.state.headSha(repo);
  // A cold port reads in two round trips; the first FailoverStateFiles fails with a 502.
  double.setFaults({ sequence: [{ status: 502 }], match: (name) => name === 'graphql FailoverStateFiles' });
  const snap = await port.readSnapshot();

  expect(winner).toBe(1);
  // The view is from after the wait: the merged failover is in it, and the head is the merge commit.
  expect(snap.view.headSha).not.toBe(headBefore);
  expect(snap.view.headSha).toBe(double.state.headSha(repo));
  expect(snap.view.history.map((h) => h.pr)).toEqual([winner]);
  expect(snap.view.files['envs/prod/failover.auto.tfvars.json']).toContain('"us-west-2"');
});
