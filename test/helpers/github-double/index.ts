// The in-memory GitHub (src/memory-github) plus the Octokit clients tests and benchmarks point at it.
import { Octokit } from 'octokit';
import type { GitHubClient } from '../../../src/github/client.js';
import type { GitHubDouble } from '../../../src/memory-github/index.js';

export * from '../../../src/memory-github/index.js';

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
