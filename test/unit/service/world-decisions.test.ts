// The alert service carrying out world-view decisions: a lost branch-lock race is re-judged with this
// replica's own world (never a merge onto a target it sees failing; the answer names the winning PR),
// and a pending drill is closed before the incident's PR opens.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/core/config/load.js';
import { renderMarker } from '../../../src/core/render/index.js';
import type { FailoverMarker, OpenFailoverPr, PrPlan, RepoView } from '../../../src/core/types.js';
import type { WorldReader } from '../../../src/core/world.js';
import type { EnsuredPr } from '../../../src/github/index.js';
import { type AlertPort, createAlertService } from '../../../src/service/alerts.js';
import { checkoutMarker } from '../../helpers/attack-world.js';
import { CONFIG_TEXT, STATE_PATH, STATE_TEXT } from '../../helpers/github-double/fixtures.js';

const ALERT = JSON.parse(readFileSync('examples/alerts/alertmanager-region-down.json', 'utf8')) as unknown;
const NOW = Date.parse('2026-11-26T05:00:00Z');
const quietLog = { info() {}, warn() {}, error() {} };

/** A checkout marker from another replica (fingerprints of its own). */
const marker = (over: Partial<FailoverMarker>): FailoverMarker =>
  checkoutMarker({ fingerprints: ['other'], ...over });

function port(opts: { openPrs?: OpenFailoverPr[]; ensured: EnsuredPr; config?: string }) {
  const calls: string[] = [];
  const view: RepoView = {
    owner: 'acme',
    repo: 'infra',
    defaultBranch: 'main',
    headSha: 'a'.repeat(40),
    files: { [STATE_PATH]: STATE_TEXT },
    frozen: false,
    history: [],
    openPrs: opts.openPrs ?? [],
  };
  const p: AlertPort = {
    async readSnapshot() {
      return {
        config: parseConfig(opts.config ?? CONFIG_TEXT),
        view,
        repositoryId: 'R_1',
        staleBranches: {},
      };
    },
    async ensureFailoverPr(plan: PrPlan, snap) {
      calls.push(`ensureFailoverPr ${plan.branch} open=${snap.view.openPrs.map((o) => o.number).join(',')}`);
      return opts.ensured;
    },
    async mergePr(n) {
      calls.push(`mergePr ${n}`);
      return { outcome: 'merged', message: 'merged' };
    },
    async addLabels() {},
    async updatePrBody(n) {
      calls.push(`updatePrBody ${n}`);
    },
    async closePr(n, comment) {
      calls.push(`closePr ${n}: ${comment}`);
      return { branchDeleted: true };
    },
    async comment(n) {
      calls.push(`comment ${n}`);
      return { id: 1, url: '' };
    },
  };
  return { port: p, calls };
}

/** us-west-2 is down for this replica's checks; the source of record has nothing more. */
function sickWest(): WorldReader {
  return {
    async firingAlerts() {
      return { status: 'read', value: [] };
    },
    async targetHealth(_svc, target) {
      return target === 'us-west-2'
        ? { status: 'read', value: { health: 'down', detail: 'healthz: HTTP 503' } }
        : { status: 'read', value: { health: 'up', detail: '' } };
    },
  };
}

const request = { owner: 'acme', repo: 'infra', body: ALERT, receivedAt: new Date(NOW).toISOString() };

describe('alert service with a world view', () => {
  it("a lost race: the winner's PR goes onto a target this replica sees failing, so it is not merged", async () => {
    const winner = `## won\n\n${renderMarker(marker({ changes: [{ service: 'checkout', from: 'us-east-1', to: 'us-west-2' }] }))}`;
    const { port: p, calls } = port({
      ensured: { number: 9, url: 'https://x/pull/9', created: false, body: winner },
    });
    // Every target healthy for the decision itself; the winner is judged with the same view.
    const allUp: WorldReader = {
      ...sickWest(),
      targetHealth: async () => ({ status: 'read', value: { health: 'up', detail: '' } }),
    };
    const service = createAlertService({ portFor: () => p, now: () => NOW, log: quietLog, world: allUp });
    const answer = await service.handle(request);
    const [d] = answer.json.decisions as { reasons: string[]; merge?: unknown }[];
    expect(d?.reasons.at(-1)).toBe(
      'PR #9 won the branch lock; it moves checkout from us-east-1 to us-west-2',
    );
    expect(calls).toContain('mergePr 9');

    // Three targets: this replica decides for eu-west-1 (it sees us-west-2 down), but another replica's
    // PR to us-west-2 holds the branch. It is not merged, and the answer says which PR won and why.
    const three = CONFIG_TEXT.replace(
      'targets: [us-east-1, us-west-2]',
      'targets: [us-east-1, us-west-2, eu-west-1]',
    );
    const sick = port({
      config: three,
      ensured: { number: 9, url: 'https://x/pull/9', created: false, body: winner },
    });
    const careful = createAlertService({
      portFor: () => sick.port,
      now: () => NOW,
      log: quietLog,
      world: sickWest(),
    });
    const refused = await careful.handle(request);
    const [r] = refused.json.decisions as { action: string; to: string; reasons: string[] }[];
    expect(r).toMatchObject({ action: 'merge', to: 'eu-west-1' });
    expect(r?.reasons.at(-1)).toBe(
      'PR #9 won the branch lock; it moves checkout from us-east-1 to us-west-2; not merged: this replica sees us-west-2 down (health: healthz: HTTP 503)',
    );
    expect(sick.calls.filter((c) => c.startsWith('mergePr'))).toEqual([]);
  });

  it('a lost race to a winner that merged already: no merge call, the answer says it is merged', async () => {
    const winner = `## won\n\n${renderMarker(marker({}))}`;
    const { port: p, calls } = port({
      ensured: { number: 9, url: 'https://x/pull/9', created: false, body: winner, merged: true },
    });
    const allUp: WorldReader = {
      ...sickWest(),
      targetHealth: async () => ({ status: 'read', value: { health: 'up', detail: '' } }),
    };
    const service = createAlertService({ portFor: () => p, now: () => NOW, log: quietLog, world: allUp });
    const answer = await service.handle(request);
    const [d] = answer.json.decisions as { pr: number; merge: { outcome: string; message: string } }[];
    expect(d).toMatchObject({
      pr: 9,
      merge: { outcome: 'merged', message: '#9 was merged by the run that opened it' },
    });
    expect(calls.filter((c) => c.startsWith('mergePr'))).toEqual([]);
  });

  it('a lost race whose marker cannot be read is never merged', async () => {
    const { port: p, calls } = port({
      ensured: { number: 9, url: 'https://x/pull/9', created: false, body: 'no marker' },
    });
    const allUp: WorldReader = {
      ...sickWest(),
      targetHealth: async () => ({ status: 'read', value: { health: 'up', detail: '' } }),
    };
    const service = createAlertService({ portFor: () => p, now: () => NOW, log: quietLog, world: allUp });
    const answer = await service.handle(request);
    const [d] = answer.json.decisions as { reasons: string[] }[];
    expect(d?.reasons.at(-1)).toMatch(
      /^PR #9 won the branch lock; its marker cannot be read, so it is not merged$/,
    );
    expect(calls.filter((c) => c.startsWith('mergePr'))).toEqual([]);
  });

  it('a real incident closes the pending drill PR first, then opens its own', async () => {
    const drill: OpenFailoverPr = {
      number: 4,
      url: 'https://x/pull/4',
      branch: 'failover/checkout',
      headSha: 'b'.repeat(40),
      marker: marker({ kind: 'drill', drill: { leg: 'failover' } }),
    };
    const { port: p, calls } = port({
      openPrs: [drill],
      ensured: { number: 5, url: 'https://x/pull/5', created: true },
    });
    const service = createAlertService({ portFor: () => p, now: () => NOW, log: quietLog });
    const answer = await service.handle(request);
    const [d] = answer.json.decisions as { action: string; pr: number; closed?: number }[];
    expect(d).toMatchObject({ action: 'merge', pr: 5, closed: 4 });
    expect(calls[0]).toMatch(/^closePr 4: A real incident on checkout ends this drill/);
    // The new PR is opened on a view without the closed drill, so the port does not mistake it for ours.
    expect(calls[1]).toBe('ensureFailoverPr failover/checkout open=');
    expect(calls).toContain('mergePr 5');
  });
});
