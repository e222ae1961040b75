// Drives every verb of the GitHub port, on every path a verb can take, against the in-memory GitHub
// through a client that records what is sent and what comes back. The contract tests check the record
// against GitHub's published descriptions (GraphQL schema, OpenAPI).
import type { GitHubClient } from '../../src/github/client.js';
import { createGitHubPort, type GitHubPort } from '../../src/github/index.js';
import { expandRoute } from '../../src/memory-github/client.js';
import { checkoutPlan, infraRepoFiles } from '../helpers/github-double/fixtures.js';
import { doubleClient, type GitHubDouble, startGitHubDouble } from '../helpers/github-double/index.js';

export interface RestCall {
  /** Octokit's route, GitHub's path template: `GET /repos/{owner}/{repo}/pulls`. */
  route: string;
  params: Record<string, unknown>;
  /** The method and the path the request went to (`/repos/acme/infra/pulls`). */
  method: string;
  path: string;
  status: number;
  data: unknown;
}
export interface GraphqlCall {
  query: string;
  vars: Record<string, unknown>;
}
export interface Recording {
  rest: RestCall[];
  graphql: GraphqlCall[];
}

/** A client that records every REST call it makes (route, params, where it went, the answer) in `rec`. */
export function recordingClient(inner: GitHubClient, rec: Recording): GitHubClient {
  return {
    async request(route, params = {}) {
      const { method, path } = expandRoute(route, params);
      try {
        const res = await inner.request(route, params);
        rec.rest.push({ route, params, method, path, status: res.status, data: res.data });
        return res;
      } catch (thrown: unknown) {
        const e = thrown as { status?: number; response?: { data?: unknown } };
        rec.rest.push({ route, params, method, path, status: e.status ?? 0, data: e.response?.data });
        throw thrown;
      }
    },
    graphql(query, vars = {}) {
      rec.graphql.push({ query, vars });
      return inner.graphql(query, vars);
    },
  };
}

/** Runs the port through all its paths and returns what went over the wire. */
export async function recordPortTraffic(): Promise<Recording> {
  const rec: Recording = { rest: [], graphql: [] };
  const double = await startGitHubDouble();
  try {
    await exercise(double, rec);
  } finally {
    await double.close();
  }
  return rec;
}

async function exercise(double: GitHubDouble, rec: Recording): Promise<void> {
  const repo = double.state.seed('acme', 'infra', infraRepoFiles({ '.github/failover.freeze': 'frozen\n' }));
  repo.collaborators.set('alice', 'maintain');
  double.state.teams.set('acme/sre', new Set(['alice']));
  const port: GitHubPort = createGitHubPort({
    client: recordingClient(doubleClient(double), rec),
    owner: 'acme',
    repo: 'infra',
    sleep: async () => {},
  });
  const ignore = () => undefined;

  // Snapshots: cold (two trips), warm (one), and after the config changed.
  await port.readSnapshot();
  await port.readSnapshot();
  // A new PR (createRef), refreshed (PATCH body), labelled, commented, reacted to.
  let snap = await port.readSnapshot();
  const pr = await port.ensureFailoverPr(checkoutPlan(snap.view.headSha), snap);
  await port.ensureFailoverPr(checkoutPlan(snap.view.headSha), await port.readSnapshot());
  await port.addLabels(pr.number, ['failover', 'failover:auto']);
  const sticky = await port.ensureComment(pr.number, 'plan', 'first');
  await port.ensureComment(pr.number, 'plan', 'second');
  await port.ensureComment(pr.number, 'long', 'x\n'.repeat(40_000));
  await port.ensureComment(pr.number, 'long', 'short now');
  await port.react(sticky.id, 'eyes');
  await port.getPermission('alice');
  await port.getPermission('mallory');
  await port.isTeamMember('sre', 'alice');
  await port.isTeamMember('acme/sre', 'bob');

  // Merging on every path: auto-merge (blocked), merge queue, auto-merge not allowed, then a direct merge.
  repo.flags.requiredChecksPending = true;
  await port.mergePr(pr.number);
  await port.mergePr(pr.number);
  repo.pulls.get(pr.number)!.autoMerge = undefined;
  repo.flags.mergeQueue = ['main'];
  await port.mergePr(pr.number);
  repo.pulls.get(pr.number)!.queuedAt = undefined;
  repo.flags.mergeQueue = [];
  repo.flags.allowAutoMerge = false;
  await port.mergePr(pr.number);
  repo.flags.allowAutoMerge = true;
  repo.flags.requiredChecksPending = false;
  await port.mergePr(pr.number);
  const merged = repo.pulls.get(pr.number)!;
  await port.findPrForCommit(merged.mergeCommitSha ?? '');
  await port.updatePrBody(pr.number, 'timeline');

  // The leftover branch is taken over with a compare-and-swap (updateRefs), then the PR is closed.
  double.state.push(repo, 'main', { '.github/failover.yml': infraRepoFiles()['.github/failover.yml'] ?? '' });
  snap = await port.readSnapshot();
  const again = await port.ensureFailoverPr(checkoutPlan(snap.view.headSha, 'us-east-1', 'us-west-2'), snap);
  await port.closePr(again.number, 'resolved before merge');
  await port.comment(again.number, 'closed');

  // What the Action reports.
  const sha = double.state.headSha(repo) ?? '';
  const run = await port.createCheckRun({
    name: 'gitops-failover/verify',
    headSha: sha,
    status: 'in_progress',
    detailsUrl: 'https://github.com/acme/infra/actions/runs/1',
    externalId: 'x',
  });
  await port.updateCheckRun(run.id, {
    conclusion: 'success',
    output: { title: 'verified', summary: 'ok', text: 'details' },
  });
  const deployment = await port.createDeployment({
    service: 'checkout',
    ref: sha,
    description: 'failover',
    payload: { to: 'us-west-2' },
  });
  await port.createDeploymentStatus(deployment.id, 'success', {
    description: 'verified',
    logUrl: 'https://github.com/acme/infra/actions/runs/1',
    environmentUrl: 'https://checkout.example.com',
  });
  await port.mergePr(999).catch(ignore);
}
