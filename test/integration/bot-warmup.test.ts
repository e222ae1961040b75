// Cold start: with the start-up warm-up the first alert after a restart pays no installation lookup, no
// token and no second snapshot trip; without it, it pays all three. Installation ids are cached, and
// "not installed" too (briefly). Tokens are refreshed before they expire.
import { readFileSync } from 'node:fs';
import { Probot } from 'probot';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { createInstallationResolver, NOT_INSTALLED_TTL_MS } from '../../bot/installations.js';
import { keepTokensFresh, refreshToken } from '../../bot/warmup.js';
import { type BotHarness, startBot } from '../helpers/bot-harness.js';
import { infraRepoFiles } from '../helpers/github-double/fixtures.js';
import { type GitHubDouble, startGitHubDouble } from '../helpers/github-double/index.js';
import { lineSink, testProbotOptions } from '../helpers/probot-kit.js';

const TOKEN = 'warmup-test-token';
const ALERT = readFileSync('examples/alerts/alertmanager-region-down.json', 'utf8');

let double: GitHubDouble;
let bot: BotHarness | undefined;

/** Sends the region-down alert and returns the calls GitHub saw up to the PR being opened. */
async function firstAlert(): Promise<{ names: string[] }> {
  const from = double.calls.length;
  const res = await fetch(`${bot?.url}/failover/v1/alerts/acme/infra`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: ALERT.replace(
      /"startsAt": "[^"]+"/g,
      `"startsAt": "${new Date(Date.now() - 600_000).toISOString()}"`,
    ),
  });
  expect(res.status).toBe(200);
  const calls = double.calls.slice(from);
  const opened = calls.findIndex((c) => c.name === 'graphql FailoverOpenPr');
  expect(opened).toBeGreaterThanOrEqual(0);
  return { names: calls.slice(0, opened + 1).map((c) => c.name) };
}

describe('cold start', () => {
  afterEach(async () => {
    await bot?.close();
    bot = undefined;
    await double.close();
  });

  it('after the warm-up, the first alert goes straight to a one-trip snapshot and the PR', async () => {
    double = await startGitHubDouble();
    double.state.seed('acme', 'infra', infraRepoFiles());
    double.state.seed('acme', 'other', infraRepoFiles());
    bot = await startBot({
      githubUrl: double.url,
      env: { FAILOVER_ALERT_TOKENS: TOKEN },
      app: { warmUp: 'await' },
    });
    const warm = double.counters();
    expect(warm['GET /app/installations']).toBe(1);
    expect(warm['POST /app/installations/:n/access_tokens']).toBe(2);
    expect(warm['GET /installation/repositories']).toBe(2);
    const { names } = await firstAlert();
    expect(names).toEqual(['graphql FailoverSnapshot', 'graphql FailoverOpenPr']);
  });

  it('without it, the first alert pays the installation lookup, the token and a second snapshot trip', async () => {
    double = await startGitHubDouble();
    double.state.seed('acme', 'infra', infraRepoFiles());
    bot = await startBot({ githubUrl: double.url, env: { FAILOVER_ALERT_TOKENS: TOKEN } });
    const { names } = await firstAlert();
    expect(names).toEqual(
      expect.arrayContaining([
        'GET /repos/:o/:r/installation',
        'POST /app/installations/:n/access_tokens',
        'graphql FailoverStateFiles',
      ]),
    );
    expect(names.slice(-3)).toEqual([
      'graphql FailoverSnapshot',
      'graphql FailoverStateFiles',
      'graphql FailoverOpenPr',
    ]);
  });
});

describe('installation ids', () => {
  it('caches found ids, and "not installed" for a minute', async () => {
    let now = 0;
    const asked: string[] = [];
    const resolver = createInstallationResolver(
      {
        auth: async () => ({
          request: async (_route: string, params?: Record<string, unknown>) => {
            asked.push(String(params?.repo));
            if (params?.repo === 'missing') throw Object.assign(new Error('Not Found'), { status: 404 });
            return { status: 200, data: { id: 7 } };
          },
        }),
      },
      { now: () => now },
    );
    expect(await resolver.lookup('acme', 'infra')).toBe(7);
    expect(await resolver.lookup('ACME', 'infra')).toBe(7);
    expect(await resolver.lookup('acme', 'missing')).toBeUndefined();
    expect(await resolver.lookup('acme', 'missing')).toBeUndefined();
    expect(asked).toEqual(['infra', 'missing']);
    now += NOT_INSTALLED_TTL_MS;
    expect(await resolver.lookup('acme', 'missing')).toBeUndefined();
    expect(asked).toEqual(['infra', 'missing', 'missing']);
    resolver.remember('acme', 'missing', 9);
    expect(await resolver.lookup('acme', 'missing')).toBe(9);
    expect(asked).toHaveLength(3);
  });
});

describe('installation tokens', () => {
  it('are refreshed for every known installation before they expire, and a failure is logged', async () => {
    vi.useFakeTimers();
    try {
      const refreshed: number[] = [];
      const warned: unknown[] = [];
      const refresh = async (_app: unknown, id: number) => {
        refreshed.push(id);
        if (id === 2) throw new Error('GitHub said no');
      };
      const log = { info: () => {}, warn: (o: unknown) => warned.push(o) };
      const stop = keepTokensFresh({ auth: async () => ({}) }, () => [1, 2], log, 45 * 60_000, refresh);
      await vi.advanceTimersByTimeAsync(45 * 60_000 - 1);
      expect(refreshed).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      expect(refreshed).toEqual([1, 2]);
      expect(warned).toEqual([
        { event: 'token_refresh_failed', installation: 2, error: 'Error: GitHub said no' },
      ]);
      await vi.advanceTimersByTimeAsync(45 * 60_000);
      expect(refreshed).toEqual([1, 2, 1, 2]);
      stop();
    } finally {
      vi.useRealTimers();
    }
  });

  it('are minted at the API base URL the app uses (GitHub Enterprise Server: /api/v3), into the shared cache', async () => {
    double = await startGitHubDouble();
    onTestFinished(() => double.close());
    double.state.seed('acme', 'infra', infraRepoFiles());
    const options = await testProbotOptions(
      `${double.url}/api/v3`,
      lineSink(() => {}),
    );
    const app = new Probot(options);
    // Every call went to the GHES path: none to api.github.com (the network is blocked and would throw).
    const mints = () =>
      double.calls.filter((c) => c.name === 'POST /api/v3/app/installations/:n/access_tokens');
    const installation = (await app.auth(1)) as unknown as {
      request(route: string): Promise<{ status: number }>;
    };
    expect((await installation.request('GET /installation/repositories')).status).toBe(200);
    expect(mints()).toHaveLength(1);
    await refreshToken(app, 1);
    expect(mints()).toHaveLength(2);
    // The installation clients read the refreshed token from the cache: no mint of their own.
    const again = (await app.auth(1)) as unknown as { request(route: string): Promise<{ status: number }> };
    expect((await again.request('GET /installation/repositories')).status).toBe(200);
    expect(mints()).toHaveLength(2);
  });
});
