// Reads the world view beside the GitHub snapshot, never after it: the alert source and the health
// checks start with the config this repo had last time (kept here), so the GitHub round trips on the
// critical path stay what they were. Only the first event for a repo (nothing remembered yet), or a
// config change that touches what was read, reads the changed part after the snapshot.
import { describeThrown } from '../core/errors.js';
import type { FailoverConfig } from '../core/types.js';
import {
  type HealthVerdict,
  UNCONFIGURED_WORLD,
  type WorldRead,
  type WorldReader,
  type WorldView,
} from '../core/world.js';
import type { GitHubPort, RepoSnapshot } from '../github/index.js';

/** The (service, target) pairs whose health a decision wants, given the config. */
export type HealthWanted = (config: FailoverConfig) => { service: string; target: string }[];

export interface WorldViews {
  read(
    port: Pick<GitHubPort, 'readSnapshot'>,
    owner: string,
    repo: string,
    wanted: HealthWanted,
  ): Promise<{ snap: RepoSnapshot; world: WorldView }>;
}

const REMEMBERED_REPOS = 1_000;

export function createWorldViews(reader: WorldReader | undefined): WorldViews {
  const lastConfig = new Map<string, FailoverConfig>();
  const remember = (key: string, config: FailoverConfig | undefined) => {
    if (!config) return;
    lastConfig.delete(key);
    if (lastConfig.size >= REMEMBERED_REPOS) {
      const oldest = lastConfig.keys().next().value;
      if (oldest !== undefined) lastConfig.delete(oldest);
    }
    lastConfig.set(key, config);
  };
  return {
    async read(port, owner, repo, wanted) {
      if (!reader) return { snap: await port.readSnapshot(), world: UNCONFIGURED_WORLD };
      const key = `${owner}/${repo}`.toLowerCase();
      const hint = lastConfig.get(key);
      const early = hint ? startReads(reader, owner, repo, hint, wanted) : undefined;
      const snap = await port.readSnapshot();
      remember(key, snap.config);
      if (!snap.config) return { snap, world: UNCONFIGURED_WORLD };
      return { snap, world: await finishReads(reader, owner, repo, snap.config, wanted, hint, early) };
    },
  };
}

interface Started {
  alerts: Promise<WorldView['alerts']>;
  health: Map<string, Promise<WorldRead<HealthVerdict>>>;
}

function startReads(
  reader: WorldReader,
  owner: string,
  repo: string,
  config: FailoverConfig,
  wanted: HealthWanted,
): Started {
  const health = new Map<string, Promise<WorldRead<HealthVerdict>>>();
  for (const { service, target } of wanted(config)) {
    const svc = config.services[service];
    if (svc)
      health.set(
        pairKey(service, target),
        guard(() => reader.targetHealth(svc, target)),
      );
  }
  return { alerts: guard(() => reader.firingAlerts(owner, repo, config)), health };
}

async function finishReads(
  reader: WorldReader,
  owner: string,
  repo: string,
  config: FailoverConfig,
  wanted: HealthWanted,
  hint: FailoverConfig | undefined,
  early: Started | undefined,
): Promise<WorldView> {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const alerts =
    early && same(hint?.alert_source, config.alert_source)
      ? early.alerts
      : guard(() => reader.firingAlerts(owner, repo, config));
  const pairs = wanted(config).flatMap(({ service, target }) => {
    const svc = config.services[service];
    if (!svc) return [];
    const started = early?.health.get(pairKey(service, target));
    const reuse = started && same(hint?.services[service]?.preflight, svc.preflight);
    return [{ service, target, read: reuse ? started : guard(() => reader.targetHealth(svc, target)) }];
  });
  const [alertsRead, reads] = await Promise.all([alerts, Promise.all(pairs.map((p) => p.read))]);
  const health: WorldView['health'] = {};
  pairs.forEach((p, i) => {
    const byTarget = health[p.service] ?? {};
    byTarget[p.target] = reads[i] as WorldRead<HealthVerdict>;
    health[p.service] = byTarget;
  });
  return { alerts: alertsRead, health };
}

/** A reader that throws has not read its part: that is "unreadable", with the reason. */
async function guard<T>(read: () => Promise<WorldRead<T>>): Promise<WorldRead<T>> {
  try {
    return await read();
  } catch (thrown: unknown) {
    return { status: 'unreadable', why: describeThrown(thrown) };
  }
}

function pairKey(service: string, target: string): string {
  return `${service}\u0000${target}`;
}
