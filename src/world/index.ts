// The bot's WorldReader: the repo's alert source of record over HTTP and the services' preflight checks
// through the src/verify probes. `failover test` and the benchmarks bring their own readers.
import type { WorldReader } from '../core/world.js';
import { type Env, type Fetch, readFiringAlerts } from './alert-source.js';
import { readTargetHealth } from './health.js';

export { readFiringAlerts } from './alert-source.js';
export { DEFAULT_HEALTH_BOUND_MS, readTargetHealth, verdictOf } from './health.js';

export interface LiveWorldOptions {
  /** Where the credentials the config names (token_env, username_env, password_env) are read. */
  env: Env;
  fetch?: Fetch;
  /** Upper bound for one target's health read (default 5 s). */
  healthBoundMs?: number;
  now?: () => number;
}

export function createLiveWorldReader(opts: LiveWorldOptions): WorldReader {
  return {
    async firingAlerts(_owner, _repo, config) {
      if (!config?.alert_source) return { status: 'not-configured' };
      return readFiringAlerts(config.alert_source, {
        env: opts.env,
        ...(opts.fetch ? { fetch: opts.fetch } : {}),
        ...(opts.now ? { now: opts.now } : {}),
      });
    },
    targetHealth(service, target) {
      return readTargetHealth(service, target, {
        ...(opts.healthBoundMs !== undefined ? { boundMs: opts.healthBoundMs } : {}),
      });
    },
  };
}
