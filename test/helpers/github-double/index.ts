// The in-memory GitHub (src/memory-github) plus the Octokit clients tests and benchmarks point at it.
import { Octokit } from 'octokit';
import type { GitHubClient } from '../../../src/github/client.js';
import {
  type DoubleOptions,
  type GitHubDouble,
  startGitHubDouble as startProductDouble,
} from '../../../src/memory-github/index.js';
import { registerGitHubOrigin } from '../leak-guard.js';

export * from '../../../src/memory-github/index.js';

/**
 * The in-memory GitHub for tests whose point is not the `unknown` mergeability GitHub reports while it
 * computes: mergeability is known at once unless a test asks for the realistic delay (`mergeabilityMs`),
 * or brings its own state. The product's default (failover test, sandbox) stays the realistic one. Its URL
 * is registered with the secret guard, which then reads every body the product sends it.
 */
export async function startGitHubDouble(opts: DoubleOptions = {}): Promise<GitHubDouble> {
  const double = await startProductDouble({ mergeabilityMs: 0, ...opts });
  registerGitHubOrigin(double.url);
  return double;
}

/** A plain Octokit pointed at the double, with its own retry and throttling off: the port retries. */
export function doubleOctokit(double: Pick<GitHubDouble, 'url'>): Octokit {
  return new Octokit({
    baseUrl: double.url,
    auth: 'test',
    retry: { enabled: false },
    throttle: { enabled: false },
  });
}

/** The same, typed as the port's client (checks at compile time that Octokit fits GitHubClient). */
export function doubleClient(double: Pick<GitHubDouble, 'url'>): GitHubClient {
  const client: GitHubClient = doubleOctokit(double);
  return client;
}
