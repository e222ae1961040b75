// owner/repo → installation id, asked of GitHub with the app's JWT and cached (bounded) per repo.
// "Not installed" is cached too, but briefly: a repo that installs the app works a minute later, and an
// alert storm for a repo without the app costs one lookup a minute, not one per alert. The warm-up
// (bot/warmup.ts) fills the cache at start-up so the first alert pays no lookup.
import { type AppClient, findInstallationId } from '../src/github/index.js';

export interface AppAuth {
  /** Probot's app.auth(): without an id the client authenticates as the app (JWT). */
  auth(installationId?: number): Promise<AppClient>;
}

export interface InstallationResolver {
  /** The installation id, or undefined when the app is not installed on the repo. */
  lookup(owner: string, repo: string): Promise<number | undefined>;
  /** Records what GitHub said elsewhere (the warm-up's repository lists, a webhook's installation). */
  remember(owner: string, repo: string, installationId: number): void;
  /** Drop a cached id (e.g. after GitHub said the installation is gone). */
  forget(owner: string, repo: string): void;
}

/** How long "not installed" is believed (ms). */
export const NOT_INSTALLED_TTL_MS = 60_000;

export function createInstallationResolver(
  app: AppAuth,
  opts: { max?: number; now?: () => number } = {},
): InstallationResolver {
  const max = opts.max ?? 5_000;
  const now = opts.now ?? Date.now;
  const cache = new Map<string, number>();
  const absent = new Map<string, number>();
  // Concurrent lookups for one repo (an alert storm) share one request.
  const pending = new Map<string, Promise<number | undefined>>();
  const key = (owner: string, repo: string) => `${owner}/${repo}`.toLowerCase();
  const remember = (k: string, id: number) => {
    absent.delete(k);
    cache.delete(k);
    if (cache.size >= max) {
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) cache.delete(oldest);
    }
    // Insertion order is the eviction order, so a hit re-inserts.
    cache.set(k, id);
  };
  return {
    async lookup(owner, repo) {
      const k = key(owner, repo);
      const hit = cache.get(k);
      if (hit !== undefined) {
        remember(k, hit);
        return hit;
      }
      const missingSince = absent.get(k);
      if (missingSince !== undefined && now() - missingSince < NOT_INSTALLED_TTL_MS) return undefined;
      const inFlight = pending.get(k);
      if (inFlight) return inFlight;
      const lookup = fetchId(owner, repo, k);
      pending.set(k, lookup);
      try {
        return await lookup;
      } finally {
        pending.delete(k);
      }
    },
    remember(owner, repo, installationId) {
      remember(key(owner, repo), installationId);
    },
    forget(owner, repo) {
      cache.delete(key(owner, repo));
      absent.delete(key(owner, repo));
    },
  };

  async function fetchId(owner: string, repo: string, k: string): Promise<number | undefined> {
    const id = await findInstallationId(await app.auth(), owner, repo);
    if (id !== undefined) {
      remember(k, id);
      return id;
    }
    if (absent.size >= max) {
      const oldest = absent.keys().next().value;
      if (oldest !== undefined) absent.delete(oldest);
    }
    absent.set(k, now());
    return undefined;
  }
}
