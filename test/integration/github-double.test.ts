// The GitHub double itself: the semantics other tests and the benchmarks rely on.
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGitHubPort } from '../../src/github/index.js';
import { checkoutPlan, infraRepoFiles } from '../helpers/github-double/fixtures.js';
import {
  doubleClient,
  doubleOctokit,
  type GitHubDouble,
  startGitHubDouble,
} from '../helpers/github-double/index.js';

let double: GitHubDouble;
beforeEach(async () => {
  double = await startGitHubDouble();
});
afterEach(async () => {
  await double.close();
});

describe('GitHub double', () => {
  it('seeds from examples/infra-repo and serves its config and state files at the head commit', async () => {
    const dir = fileURLToPath(new URL('../../examples/infra-repo', import.meta.url));
    double.state.seedFromDirectory('acme', 'example', dir);
    const snap = await createGitHubPort({
      client: doubleClient(double),
      owner: 'acme',
      repo: 'example',
    }).readSnapshot();
    expect(snap.configError).toBeUndefined();
    const services = Object.values(snap.config?.services ?? {});
    expect(services.length).toBeGreaterThan(0);
    for (const svc of services) expect(snap.view.files[svc.state.file]).toBeTypeOf('string');
  });

  it('answers REST createRef on an existing ref with 422 "Reference already exists" and serves contents at a ref', async () => {
    const repo = double.state.seed('acme', 'infra', infraRepoFiles());
    const octokit = doubleOctokit(double);
    const sha = double.state.headSha(repo) ?? '';
    const params = { owner: 'acme', repo: 'infra', ref: 'refs/heads/failover/x', sha };
    await octokit.request('POST /repos/{owner}/{repo}/git/refs', params);
    await expect(octokit.request('POST /repos/{owner}/{repo}/git/refs', params)).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining('Reference already exists'),
    });
    const file = await octokit.request('GET /repos/{owner}/{repo}/contents/{path}', {
      owner: 'acme',
      repo: 'infra',
      path: 'README.md',
      ref: sha,
    });
    expect(Buffer.from((file.data as { content: string }).content, 'base64').toString('utf8')).toBe(
      '# infra\n',
    );
  });

  it('injects latency per call and counts overlapping calls as one round trip', async () => {
    double.state.seed('acme', 'infra', infraRepoFiles());
    double.setLatency(50);
    const octokit = doubleOctokit(double);
    const get = () => octokit.request('GET /repos/{owner}/{repo}', { owner: 'acme', repo: 'infra' });
    await Promise.all([get(), get(), get()]);
    await get();
    expect(double.calls).toHaveLength(4);
    expect(double.roundTrips()).toBe(2);
    expect(double.calls.every((c) => c.endedAt - c.startedAt >= 45)).toBe(true);
    expect(double.counters()).toEqual({ 'GET /repos/:o/:r': 4 });
  });

  it('with 30% probabilistic faults every PR still opens exactly once through the port’s retries', async () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    double.setFaults({
      probability: 0.3,
      random,
      kinds: [{ status: 502 }, { status: 403, retryAfter: 1 }, { status: 429, retryAfter: 0 }],
    });
    for (let i = 0; i < 10; i++) {
      const repo = double.state.seed('acme', `infra-${i}`, infraRepoFiles());
      const port = createGitHubPort({
        client: doubleClient(double),
        owner: 'acme',
        repo: `infra-${i}`,
        sleep: async () => {},
        retry: { retries: 8 },
      });
      const snap = await port.readSnapshot();
      await port.ensureFailoverPr(checkoutPlan(snap.view.headSha), snap);
      expect(repo.pulls.size).toBe(1);
    }
    expect(double.calls.filter((c) => c.faulted).length).toBeGreaterThan(3);
  });

  it('applies faults only to matching calls and replays a scripted sequence', async () => {
    double.state.seed('acme', 'infra', infraRepoFiles());
    double.setFaults({ sequence: [{ status: 500 }], match: (name) => name.startsWith('graphql') });
    const octokit = doubleOctokit(double);
    await octokit.request('GET /repos/{owner}/{repo}', { owner: 'acme', repo: 'infra' });
    await expect(
      octokit.graphql('query FailoverSnapshot { x }', { owner: 'acme', name: 'infra' }),
    ).rejects.toMatchObject({ status: 500 });
    expect(double.calls.map((c) => [c.name, c.faulted])).toEqual([
      ['GET /repos/:o/:r', false],
      ['graphql FailoverSnapshot', true],
    ]);
  });
});
