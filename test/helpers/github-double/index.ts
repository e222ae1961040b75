// The in-memory GitHub (src/memory-github) plus the Octokit clients tests and benchmarks point at it.
import { Octokit } from 'octokit';
import type { GitHubClient } from '../../../src/github/client.js';
import {
  type DoubleOptions,
  type GitHubDouble,
  startGitHubDouble as startProductDouble,
} from '../../../src/memory-github/index.js';

export * from '../../../src/memory-github/index.js';

/**
 * The in-memory GitHub for tests whose point is neither the `unknown` mergeability GitHub reports while
 * it computes nor its secondary rate limit: mergeability is known at once and writes are not limited,
 * unless a test asks (`mergeabilityMs`, `secondaryLimit`) or brings its own state. The product's defaults
 * (the sandbox) stay the realistic ones.
 */
export function startGitHubDouble(opts: DoubleOptions = {}): Promise<GitHubDouble> {
  return startProductDouble({ mergeabilityMs: 0, secondaryLimit: false, ...opts });
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
