// The port's client type accepts every Octokit the product runs with: Probot's, @actions/github's and
// the plain one. The assignments are the test (tsc fails otherwise); the runtime part checks the App
// installation flow Probot uses works against the GitHub double.
import { generateKeyPairSync } from 'node:crypto';
import { getOctokit } from '@actions/github';
import { App, Octokit } from 'octokit';
import { ProbotOctokit } from 'probot';
import { describe, expect, it } from 'vitest';
import type { GitHubClient } from '../../../src/github/client.js';
import { createGitHubPort } from '../../../src/github/index.js';
import { infraRepoFiles } from '../../helpers/github-double/fixtures.js';
import { startGitHubDouble } from '../../helpers/github-double/index.js';

describe('GitHubClient', () => {
  it('is satisfied by Probot, @actions/github and plain Octokit clients', () => {
    const clients: GitHubClient[] = [
      new ProbotOctokit({ auth: { token: 'x' } }),
      getOctokit('x'),
      new Octokit({ auth: 'x' }),
    ];
    for (const c of clients) {
      expect(typeof c.request).toBe('function');
      expect(typeof c.graphql).toBe('function');
    }
  });

  it('works as a GitHub App installation against the double (installation lookup + access token)', async () => {
    const double = await startGitHubDouble();
    try {
      double.state.seed('acme', 'infra', infraRepoFiles());
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const app = new App({
        appId: 1,
        privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
        Octokit: Octokit.defaults({
          baseUrl: double.url,
          retry: { enabled: false },
          throttle: { enabled: false },
        }),
      });
      const { data } = await app.octokit.request('GET /repos/{owner}/{repo}/installation', {
        owner: 'acme',
        repo: 'infra',
      });
      const installation = await app.getInstallationOctokit(data.id);
      const port = createGitHubPort({ client: installation, owner: 'acme', repo: 'infra' });
      const snap = await port.readSnapshot();
      expect(snap.config?.services.checkout).toBeDefined();
      expect(double.counters()['POST /app/installations/:n/access_tokens']).toBe(1);
    } finally {
      await double.close();
    }
  });
});
