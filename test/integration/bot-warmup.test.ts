// Cold start: with the start-up warm-up the first alert after a restart pays no installation lookup, no
// token and no second snapshot trip; without it, it pays all three. Installation ids are cached, and
// "not installed" too (briefly). Tokens are refreshed before they expire.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createInstallationResolver, NOT_INSTALLED_TTL_MS } from '../../bot/installations.js';
import { keepTokensFresh } from '../../bot/warmup.js';
import { type BotHarness, startBot } from '../helpers/bot-harness.js';
import { infraRepoFiles } from '../helpers/github-double/fixtures.js';
import { type GitHubDouble, startGitHubDouble } from '../helpers/github-double/index.js';

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
  it('are refreshed (refresh: true) for every known installation before they expire', async () => {
    vi.useFakeTimers();
    try {
      const refreshed: [number, unknown][] = [];
      const app = {
        auth: async () => ({
          auth: async (opts: { installationId: number }) => {
            refreshed.push([opts.installationId, opts]);
            return {};
          },
        }),
      };
      const log = { info: () => {}, warn: () => {} };
      const stop = keepTokensFresh(app, () => [1, 2], log, 45 * 60_000);
      await vi.advanceTimersByTimeAsync(45 * 60_000);
      expect(refreshed).toEqual([
        [1, { type: 'installation', installationId: 1, refresh: true }],
        [2, { type: 'installation', installationId: 2, refresh: true }],
      ]);
      await vi.advanceTimersByTimeAsync(45 * 60_000);
      expect(refreshed).toHaveLength(4);
      stop();
    } finally {
      vi.useRealTimers();
    }
  });
});
