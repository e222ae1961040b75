// The GitHub double's public face for tests, the sandbox and the benchmarks.
import { Octokit } from 'octokit';
import type { GitHubClient } from '../../../src/github/client.js';
import type { GitHubDouble } from './server.js';

export {
  type CallRecord,
  type DoubleOptions,
  type Fault,
  type FaultPlan,
  type GitHubDouble,
  startGitHubDouble,
} from './server.js';
export {
  APP_BOT,
  type Commit,
  DoubleState,
  type Person,
  type Pull,
  type RepoFlags,
  type RepoState,
  type Role,
} from './state.js';

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
