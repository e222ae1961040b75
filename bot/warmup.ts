// Start-up warm-up, so the first alert after a restart costs what a later one does: every installation's
// token is minted now (and refreshed before it expires), every installed repo's installation id is
// cached, and the port of each repo reads its snapshot once (the parsed config is then cached by blob
// oid, so the first alert's snapshot is one round trip). Bounded: a few pages of installations and
// repos; anything beyond is looked up on first use, as without the warm-up.
import { createAppAuth } from '@octokit/auth-app';
import type { GitHubPort } from '../src/github/index.js';
import type { InstallationResolver } from './installations.js';

/** The slice of Probot's app this needs. */
export interface WarmupApp {
  auth(installationId?: number): Promise<unknown>;
}

interface Requester {
  request(route: string, params?: Record<string, unknown>): Promise<{ data: unknown }>;
}
/** The app (JWT) client: its auth strategy's options (key, shared token cache) and its own request. */
interface AppClient {
  request: Parameters<typeof createAppAuth>[0]['request'];
  auth(options: {
    type: 'installation';
    installationId: number;
    factory: (options: Parameters<typeof createAppAuth>[0]) => unknown;
  }): Promise<unknown>;
}

export interface WarmupDeps {
  app: WarmupApp;
  installations: InstallationResolver;
  portFor(owner: string, repo: string): Promise<GitHubPort>;
  log: { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void };
  /** Repos whose snapshot is read at start-up (default 50). */
  maxRepos?: number;
}

export interface WarmupReport {
  installations: number;
  repos: number;
  snapshots: number;
  failures: number;
}

/** Installation tokens live an hour; Octokit caches them for 59 minutes. Refresh well before. */
export const TOKEN_REFRESH_MS = 45 * 60_000;

export async function warmUp(deps: WarmupDeps): Promise<{ report: WarmupReport; ids: number[] }> {
  const report: WarmupReport = { installations: 0, repos: 0, snapshots: 0, failures: 0 };
  const jwt = (await deps.app.auth()) as Requester;
  const installations = (await jwt.request('GET /app/installations', { per_page: 100 })).data as {
    id: number;
  }[];
  const ids = installations.map((i) => i.id);
  const repos: { owner: string; repo: string }[] = [];
  await Promise.all(
    ids.map(async (id) => {
      try {
        // The first request of an installation client mints its token, which Probot's auth caches for
        // every later client of this installation: listing the repositories warms both.
        const client = (await deps.app.auth(id)) as Requester;
        const listed = (await client.request('GET /installation/repositories', { per_page: 100 })).data as {
          repositories?: { name: string; owner: { login: string } }[];
        };
        for (const r of listed.repositories ?? []) {
          deps.installations.remember(r.owner.login, r.name, id);
          repos.push({ owner: r.owner.login, repo: r.name });
        }
        report.installations++;
      } catch (thrown: unknown) {
        report.failures++;
        deps.log.warn({ event: 'warmup_failed', installation: id, error: String(thrown) }, 'warm-up');
      }
    }),
  );
  report.repos = repos.length;
  await Promise.all(
    repos.slice(0, deps.maxRepos ?? 50).map(async ({ owner, repo }) => {
      try {
        await (await deps.portFor(owner, repo)).readSnapshot();
        report.snapshots++;
      } catch (thrown: unknown) {
        report.failures++;
        deps.log.warn({ event: 'warmup_failed', repo: `${owner}/${repo}`, error: String(thrown) }, 'warm-up');
      }
    }),
  );
  deps.log.info({ event: 'warmup', ...report }, 'warm-up');
  return { report, ids };
}

/**
 * Refreshes each installation's token every TOKEN_REFRESH_MS, so no alert waits for a new one. The new
 * token goes into the cache the installation clients share. It is minted through the app client's own
 * request, which carries the API base URL (GHES): Probot gives its auth strategy a request of its own
 * without one, so the strategy's `auth({ refresh: true })` would always ask api.github.com.
 */
export function keepTokensFresh(
  app: WarmupApp,
  ids: () => number[],
  log: WarmupDeps['log'],
  everyMs = TOKEN_REFRESH_MS,
  refresh: (app: WarmupApp, installationId: number) => Promise<void> = refreshToken,
): () => void {
  const timer = setInterval(() => {
    for (const id of ids()) {
      refresh(app, id).catch((thrown: unknown) =>
        log.warn({ event: 'token_refresh_failed', installation: id, error: String(thrown) }, 'token'),
      );
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Mints a new token for one installation. Auth-app's documented `factory` hands over the strategy's own
 * options (app id, key, the shared cache); a strategy built from them with the app client's request
 * writes the token where every installation client reads it.
 */
export async function refreshToken(app: WarmupApp, installationId: number): Promise<void> {
  const client = (await app.auth()) as AppClient;
  const mint = (await client.auth({
    type: 'installation',
    installationId,
    factory: (options) => createAppAuth({ ...options, request: client.request }),
  })) as ReturnType<typeof createAppAuth>;
  await mint({ type: 'installation', installationId, refresh: true });
}
