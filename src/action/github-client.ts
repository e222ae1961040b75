// The Action's GitHub client: @actions/github's Octokit. main.ts loads this module with `import()` only
// when there is a token, so start-up (and a run without a token) does not pay for Octokit.
// When a proxy applies to the API URL (HTTPS_PROXY / HTTP_PROXY / NO_PROXY, read by @actions/http-client,
// as on GHES or self-hosted runners behind a corporate proxy) requests keep @actions/github's own
// proxy-aware fetch (undici through the proxy). Otherwise they use Node's fetch: the same request without a
// proxy, and one that every HTTP tool and test interceptor understands.
import { getOctokit } from '@actions/github';
import { getProxyUrl } from '@actions/http-client/lib/proxy';
import type { GitHubClient } from '../github/client.js';

/** Whether requests to `apiUrl` go through a proxy, by the rules @actions/http-client applies. */
export function proxyApplies(apiUrl: string): boolean {
  return getProxyUrl(new URL(apiUrl)) !== undefined;
}

export function actionOctokit(token: string, apiUrl: string): GitHubClient {
  // @actions/github's defaults carry the proxy-aware fetch for GITHUB_API_URL (apiUrl comes from it).
  const request = proxyApplies(apiUrl) ? {} : { request: { fetch: globalThis.fetch } };
  return getOctokit(token, { baseUrl: apiUrl, ...request }) as unknown as GitHubClient;
}
