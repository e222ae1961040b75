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
 * The in-memory GitHub for tests whose point is neither the `unknown` mergeability GitHub reports while
 * it computes nor its secondary rate limit: mergeability is known at once and writes are not limited,
 * unless a test asks (`mergeabilityMs`, `secondaryLimit`) or brings its own state. The product's defaults
 * (failover test, the sandbox) stay the realistic ones. Its URL is registered with the secret guard,
 * which then reads every body the product sends it.
 */
export async function startGitHubDouble(opts: DoubleOptions = {}): Promise<GitHubDouble> {
  const double = await startProductDouble({ mergeabilityMs: 0, secondaryLimit: false, ...opts });
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
