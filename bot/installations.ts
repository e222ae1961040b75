// owner/repo → installation id, asked of GitHub with the app's JWT and cached (bounded) per repo.
// Only found installations are cached: a repo that installs the app a minute later works a minute later.
import { type AppClient, findInstallationId } from '../src/github/index.js';

export interface AppAuth {
  /** Probot's app.auth(): without an id the client authenticates as the app (JWT). */
  auth(installationId?: number): Promise<AppClient>;
}

export interface InstallationResolver {
  /** The installation id, or undefined when the app is not installed on the repo. */
  lookup(owner: string, repo: string): Promise<number | undefined>;
  /** Drop a cached id (e.g. after GitHub said the installation is gone). */
  forget(owner: string, repo: string): void;
}

export function createInstallationResolver(app: AppAuth, opts: { max?: number } = {}): InstallationResolver {
  const max = opts.max ?? 5_000;
  const cache = new Map<string, number>();
  // Concurrent lookups for one repo (an alert storm) share one request.
  const pending = new Map<string, Promise<number | undefined>>();
  const key = (owner: string, repo: string) => `${owner}/${repo}`.toLowerCase();
  return {
    async lookup(owner, repo) {
      const k = key(owner, repo);
      const hit = cache.get(k);
      if (hit !== undefined) {
        // Refresh recency: the map's insertion order is the eviction order.
        cache.delete(k);
        cache.set(k, hit);
        return hit;
      }
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
    forget(owner, repo) {
      cache.delete(key(owner, repo));
    },
  };

  async function fetchId(owner: string, repo: string, k: string): Promise<number | undefined> {
    const id = await findInstallationId(await app.auth(), owner, repo);
    if (id === undefined) return undefined;
    if (cache.size >= max) {
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) cache.delete(oldest);
    }
    cache.set(k, id);
    return id;
  }
}
