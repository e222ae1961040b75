// The alert service with a scripted port: coalescing, per-repo ordering, error → HTTP mapping.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/core/config/load.js';
import { ConfigError } from '../../../src/core/errors.js';
import type { PrPlan, RepoView } from '../../../src/core/types.js';
import type { RepoSnapshot } from '../../../src/github/index.js';
import { type AlertPort, createAlertService, handleAlertNotification } from '../../../src/service/alerts.js';
import { CONFIG_TEXT, STATE_PATH, STATE_TEXT } from '../../helpers/github-double/fixtures.js';

const ALERT = JSON.parse(readFileSync('examples/alerts/alertmanager-region-down.json', 'utf8')) as unknown;
const UNRELATED = JSON.parse(
  readFileSync('test/fixtures/alertmanager/firing-single-fire-critical.json', 'utf8'),
) as unknown;
const NOW = Date.parse('2026-11-26T05:00:00Z');

function view(openPrs: RepoView['openPrs'] = []): RepoView {
  return {
    owner: 'acme',
    repo: 'infra',
    defaultBranch: 'main',
    headSha: 'a'.repeat(40),
    files: { [STATE_PATH]: STATE_TEXT },
    frozen: false,
    history: [],
    openPrs,
  };
}

/** A port that records calls and lets the test hold ensureFailoverPr open. */
function scriptedPort(opts: { snapshot?: Partial<RepoSnapshot>; failWith?: unknown } = {}) {
  const calls: string[] = [];
  let release: () => void = () => {};
  const gate = new Promise<void>((r) => {
    release = r;
  });
  let opened: { number: number; url: string } | undefined;
  const port: AlertPort = {
    async readSnapshot() {
      calls.push('readSnapshot');
      if (opts.failWith) throw opts.failWith;
      return {
        config: parseConfig(CONFIG_TEXT),
        view: view(),
        repositoryId: 'R_1',
        staleBranches: {},
        ...opts.snapshot,
      };
    },
    async ensureFailoverPr(plan: PrPlan) {
      calls.push(`ensureFailoverPr ${plan.branch}`);
      await gate;
      const created = !opened;
      opened ??= { number: 7, url: 'https://github.com/acme/infra/pull/7' };
      return { ...opened, created };
    },
    async mergePr(n) {
      calls.push(`mergePr ${n}`);
      return { outcome: 'merged', message: 'merged' };
    },
    async addLabels(n, labels) {
      calls.push(`addLabels ${n} ${labels.join(',')}`);
    },
    async updatePrBody(n) {
      calls.push(`updatePrBody ${n}`);
    },
    async closePr(n) {
      calls.push(`closePr ${n}`);
      return { branchDeleted: false };
    },
    async comment(n) {
      calls.push(`comment ${n}`);
      return { id: 1, url: '' };
    },
  };
  return { port, calls, release };
}

/** A copy of an Alertmanager payload with every alert's startsAt replaced. */
function withStartsAt(payload: unknown, startsAt: string): unknown {
  const copy = structuredClone(payload) as { alerts: { startsAt: string }[] };
  for (const a of copy.alerts) a.startsAt = startsAt;
  return copy;
}

/** A copy of an Alertmanager payload with one label set on every alert (and the common labels). */
function withLabel(payload: unknown, name: string, value: string): unknown {
  const copy = structuredClone(payload) as {
    commonLabels?: Record<string, string>;
    alerts: { labels: Record<string, string> }[];
  };
  for (const a of copy.alerts) a.labels[name] = value;
  if (copy.commonLabels) copy.commonLabels[name] = value;
  return copy;
}

const quietLog = { info() {}, warn() {}, error() {} };
const request = (body: unknown) => ({
  owner: 'acme',
  repo: 'infra',
  body,
  receivedAt: new Date(NOW).toISOString(),
});

describe('createAlertService', () => {
  it('shares one flight among concurrent identical notifications', async () => {
    const { port, calls, release } = scriptedPort();
    const service = createAlertService({ portFor: () => port, now: () => NOW, log: quietLog });
    const pending = Array.from({ length: 10 }, () => service.handle(request(ALERT)));
    await new Promise((r) => setTimeout(r, 10));
    release();
    const answers = await Promise.all(pending);
    expect(new Set(answers)).toHaveProperty('size', 1);
    expect(answers[0]?.status).toBe(200);
    expect(calls.filter((c) => c.startsWith('ensureFailoverPr'))).toHaveLength(1);
    expect(calls).toContain('mergePr 7');
    // Recent window: a resend right after costs no GitHub call.
    const before = calls.length;
    await service.handle(request(ALERT));
    expect(calls.length).toBe(before);
  });

  it('runs different notifications for one repo one after the other', async () => {
    const { port, calls, release } = scriptedPort();
    const service = createAlertService({ portFor: () => port, now: () => NOW, log: quietLog });
    const first = service.handle(request(ALERT));
    const second = service.handle(request(UNRELATED));
    await new Promise((r) => setTimeout(r, 10));
    // The second has not even read the repo while the first holds ensureFailoverPr open.
    expect(calls).toEqual(['readSnapshot', 'ensureFailoverPr failover/checkout']);
    release();
    await Promise.all([first, second]);
    expect(calls.filter((c) => c === 'readSnapshot')).toHaveLength(2);
  });

  it('maps failures: payload 400, retryable 503 with Retry-After, other 500, config error 200 with the reason', async () => {
    const service = (failWith?: unknown, snapshot?: Partial<RepoSnapshot>) =>
      createAlertService({
        portFor: () => scriptedPort({ failWith, snapshot }).port,
        now: () => NOW,
        log: quietLog,
      });
    expect((await service().handle(request({ nope: 1 }))).status).toBe(400);
    const busy = await service({ status: 502, retryable: true, message: 'bad gateway' }).handle(
      request(ALERT),
    );
    expect([busy.status, busy.headers?.['retry-after']]).toEqual([503, '10']);
    const net = await service(Object.assign(new Error('reset'), { code: 'ECONNRESET' })).handle(
      request(ALERT),
    );
    expect(net.status).toBe(503);
    const bug = await service(new TypeError('x is undefined')).handle(request(ALERT));
    expect(bug).toMatchObject({ status: 500, json: { error: 'internal' } });
    const broken = new ConfigError([
      { file: '.github/failover.yml', line: 3, column: 5, path: 'services', message: 'bad' },
    ]);
    const cfg = await service(undefined, { config: undefined, configError: broken }).handle(request(ALERT));
    expect(cfg.status).toBe(200);
    expect(cfg.json.reasons).toEqual(['config error, nothing done: .github/failover.yml:3:5 services: bad']);
    const none = await service(undefined, { config: undefined }).handle(request(ALERT));
    expect(none).toMatchObject({
      status: 404,
      json: { message: 'no .github/failover.yml on main of acme/infra' },
    });
  });

  it('answers 503 when processing hangs, and frees the repo for the next notification', async () => {
    const { port } = scriptedPort();
    const service = createAlertService({
      portFor: () => port,
      now: () => NOW,
      log: quietLog,
      processingTimeoutMs: 20,
    });
    const hung = await service.handle(request(ALERT));
    expect(hung).toMatchObject({ status: 503, json: { error: 'timeout' } });
    const next = await service.handle(request(UNRELATED));
    expect(next.status).toBe(200);
  });

  it('does not remember a refusal that time lifts: the resend after stabilize opens the PR', async () => {
    const stabilized = CONFIG_TEXT.replace('on_alert: merge', 'on_alert: merge\n      stabilize: 2m');
    const { port, calls, release } = scriptedPort({ snapshot: { config: parseConfig(stabilized) } });
    release();
    let now = NOW;
    const service = createAlertService({ portFor: () => port, now: () => now, log: quietLog });
    // The alert started 1m57s ago, so the first answer refuses.
    const young = withStartsAt(ALERT, new Date(NOW - 117_000).toISOString());
    const first = await service.handle(request(young));
    expect(first.json.decisions).toEqual([expect.objectContaining({ action: 'none' })]);
    expect(JSON.stringify(first.json.decisions)).toContain('stabilize');
    now += 5_000; // inside the 10 s recent window, past stabilize
    const resend = await service.handle({ ...request(young), receivedAt: new Date(now).toISOString() });
    expect(resend.json.decisions).toEqual([expect.objectContaining({ action: 'merge', pr: 7 })]);
    expect(calls.filter((c) => c.startsWith('ensureFailoverPr'))).toHaveLength(1);
  });

  it('remembers a refusal waiting cannot change (below min_severity): a resend costs no call', async () => {
    const { port, calls } = scriptedPort();
    const service = createAlertService({ portFor: () => port, now: () => NOW, log: quietLog });
    const warning = withLabel(ALERT, 'severity', 'warning');
    const first = await service.handle(request(warning));
    expect(first.json.decisions).toEqual([expect.objectContaining({ action: 'none' })]);
    const reads = calls.length;
    expect(reads).toBeGreaterThan(0);
    expect(await service.handle(request(warning))).toBe(first);
    expect(calls.length).toBe(reads);
  });

  it('handleAlertNotification keeps coalescing state per deps object', async () => {
    const { port, calls, release } = scriptedPort();
    const deps = { portFor: () => port, now: () => NOW, log: quietLog };
    const a = handleAlertNotification(deps, request(ALERT));
    const b = handleAlertNotification(deps, request(ALERT));
    release();
    expect(await a).toBe(await b);
    expect(calls.filter((c) => c.startsWith('ensureFailoverPr'))).toHaveLength(1);
  });
});
