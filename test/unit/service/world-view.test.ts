// The world view is read beside the GitHub snapshot, never after it (once a repo's config is known),
// a reader that throws is "unreadable" with its reason, and no reader at all is "not configured".
import { describe, expect, it } from 'vitest';
import { configSchema, type FailoverConfig } from '../../../src/core/config/schema.js';
import type { WorldReader } from '../../../src/core/world.js';
import type { RepoSnapshot } from '../../../src/github/index.js';
import { createWorldViews } from '../../../src/service/world-view.js';

const config = (alertUrl = 'http://am:9093'): FailoverConfig =>
  configSchema.parse({
    version: 1,
    alert_source: { type: 'alertmanager', urls: [alertUrl] },
    services: {
      checkout: {
        targets: ['us-east-1', 'us-west-2'],
        state: { file: 'state.json', key: 'active' },
        preflight: { checks: [{ name: 'h', http: { url: 'http://{target}.example/healthz' } }] },
      },
    },
  });

function snapshot(cfg: FailoverConfig): RepoSnapshot {
  const view = {
    owner: 'acme',
    repo: 'infra',
    defaultBranch: 'main',
    headSha: 'a'.repeat(40),
    files: {},
    frozen: false,
    history: [],
    openPrs: [],
  };
  return { config: cfg, view, repositoryId: 'R', staleBranches: {} };
}

/** A port whose snapshot resolves only when the test says so, and a reader that logs when it is asked. */
function rig(cfgs: FailoverConfig[]) {
  const log: string[] = [];
  let release: () => void = () => {};
  let n = 0;
  const port = {
    readSnapshot: () =>
      new Promise<RepoSnapshot>((resolve) => {
        log.push('snapshot asked');
        const cfg = cfgs[Math.min(n++, cfgs.length - 1)] as FailoverConfig;
        release = () => {
          log.push('snapshot answered');
          resolve(snapshot(cfg));
        };
      }),
  };
  const reader: WorldReader = {
    async firingAlerts(_o, _r, cfg) {
      log.push(`alerts asked (${cfg?.alert_source?.urls[0]})`);
      return { status: 'read', value: [] };
    },
    async targetHealth(_svc, target) {
      log.push(`health asked ${target}`);
      if (target === 'us-west-2') throw new Error('probe exploded');
      return { status: 'read', value: { health: 'up', detail: '' } };
    },
  };
  return { log, port, reader, release: () => release() };
}

const everyTarget = (cfg: FailoverConfig) =>
  Object.entries(cfg.services).flatMap(([service, s]) => s.targets.map((target) => ({ service, target })));

describe('createWorldViews', () => {
  it('the first read for a repo waits for its config; later reads run beside the snapshot', async () => {
    const { log, port, reader, release } = rig([config()]);
    const views = createWorldViews(reader);
    const first = views.read(port, 'acme', 'infra', everyTarget);
    await Promise.resolve();
    release();
    const one = await first;
    expect(log.indexOf('alerts asked (http://am:9093)')).toBeGreaterThan(log.indexOf('snapshot answered'));
    expect(one.world.health.checkout?.['us-east-1']).toEqual({
      status: 'read',
      value: { health: 'up', detail: '' },
    });
    expect(one.world.health.checkout?.['us-west-2']).toEqual({ status: 'unreadable', why: 'probe exploded' });

    log.length = 0;
    const second = views.read(port, 'ACME', 'infra', everyTarget);
    await new Promise((r) => setTimeout(r, 0));
    // Everything was asked while the snapshot is still out.
    expect(log.slice(0, 3).sort()).toEqual([
      'alerts asked (http://am:9093)',
      'health asked us-east-1',
      'health asked us-west-2',
    ]);
    expect(log.slice(3)).toEqual(['snapshot asked']);
    release();
    expect((await second).world.alerts).toEqual({ status: 'read', value: [] });
    expect(log).toHaveLength(5);
  });

  it('reads again after the snapshot when the config changed what to read', async () => {
    const { log, port, reader, release } = rig([config(), config('http://am-new:9093')]);
    const views = createWorldViews(reader);
    const first = views.read(port, 'acme', 'infra', () => []);
    await Promise.resolve();
    release();
    await first;
    log.length = 0;
    const second = views.read(port, 'acme', 'infra', () => []);
    await new Promise((r) => setTimeout(r, 0));
    release();
    await second;
    expect(log).toEqual([
      'alerts asked (http://am:9093)',
      'snapshot asked',
      'snapshot answered',
      'alerts asked (http://am-new:9093)',
    ]);
  });

  it('without a reader nothing is configured', async () => {
    const { port, release } = rig([config()]);
    const read = createWorldViews(undefined).read(port, 'acme', 'infra', everyTarget);
    await Promise.resolve();
    release();
    expect((await read).world).toEqual({ alerts: { status: 'not-configured' }, health: {} });
  });
});
