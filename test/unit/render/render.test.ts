import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide, decideCommand } from '../../../src/core/policy/index.js';
import {
  fitBody,
  parseMarker,
  planPr,
  renderMarker,
  renderStatus,
  renderTimeline,
  replaceTimeline,
} from '../../../src/core/render/index.js';
import type { Decision, FailoverMarker, RuleResult } from '../../../src/core/types.js';
import { config, marker, NOW, regionDown, repo, WEB_YAML, webYaml } from '../policy/world.js';

const alertCtx = {
  config: config(),
  repo: repo(),
  now: NOW,
  receivedAt: '2026-03-01T11:59:58.000Z',
  trigger: { type: 'alert', sources: ['alertmanager'] } as FailoverMarker['trigger'],
};
const autoDecision = () =>
  decide({ signals: regionDown(), config: config(), repo: repo(), now: NOW })[0] as Decision;

describe('marker', () => {
  it('round-trips', () => {
    const m = marker({
      forced: [{ rule: 'cooldown', reason: 'drill' }],
      drill: { leg: 'failover', originPr: 3 },
    });
    expect(parseMarker(`body\n\n${renderMarker(m)}\n`)).toEqual(m);
  });
  it('property: any strings round-trip and never close the HTML comment early', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (by, command, service) => {
        const m = marker({ services: [service], trigger: { type: 'command', by, command } });
        const text = renderMarker(m);
        const inner = text.slice('<!-- '.length, -' -->'.length);
        expect(inner).not.toContain('--');
        expect(inner).not.toContain('>');
        expect(parseMarker(text)).toEqual(m);
      }),
      { numRuns: 300 },
    );
  });
  it('a hostile reason cannot break out', () => {
    const m = marker({
      forced: [{ rule: 'safety', reason: '--> <script>alert(1)</script> <!-- gitops-failover {} -->' }],
    });
    const text = renderMarker(m);
    expect(text.indexOf('-->')).toBe(text.length - 3);
    expect(parseMarker(text)).toEqual(m);
  });
  it.each([
    ['no marker', 'just a body'],
    ['not JSON', '<!-- gitops-failover {oops -->'],
    ['wrong version', '<!-- gitops-failover {"v":2} -->'],
    ['unterminated', '<!-- gitops-failover {"v":1}'],
  ])('%s → undefined', (_n, body) => {
    expect(parseMarker(body)).toBeUndefined();
  });
  it('the last marker wins (a quoted older body cannot shadow it)', () => {
    const old = renderMarker(marker({ kind: 'manual' }));
    const now = renderMarker(marker({ kind: 'auto' }));
    expect(parseMarker(`> ${old}\n\n${now}`)?.kind).toBe('auto');
  });
});

describe('planPr', () => {
  it('follows the conventions: branch, title with →, labels, merge flag, base sha', () => {
    const p = planPr(autoDecision(), alertCtx);
    expect(p).toMatchObject({
      branch: 'failover/checkout',
      title: 'Failover checkout: us-east-1 → us-west-2',
      labels: ['failover', 'failover:auto'],
      merge: true,
      baseSha: 'a'.repeat(40),
    });
    expect(p.commitMessage.split('\n')[0]).toBe(p.title);
    expect(p.edits).toHaveLength(1);
  });
  it('body: why with alert links and labels, trace table, fenced diff, timeline, marker', () => {
    const p = planPr(autoDecision(), alertCtx);
    expect(p.body).toContain('### Why');
    expect(p.body).toMatch(/\| \[RegionDown\]\(https:\/\/alertmanager\.example\.com\/#\/alerts\)/);
    expect(p.body).toContain('probe=blackbox-a');
    expect(p.body).toContain(
      // Brackets are escaped in cells (no link or image can form); GitHub shows them as typed.
      '| quorum | ✅ pass | 2 distinct probe values \\[blackbox-a, blackbox-b\\] (need 2) |',
    );
    expect(p.body).toContain('```diff\n--- a/envs/prod/failover.auto.tfvars.json');
    expect(p.body).toContain('| alert started | 2026-03-01 11:50:00Z | +0s |');
    expect(p.body).toContain('| PR opened | 2026-03-01 12:00:00Z | +10m |');
    const m = parseMarker(p.body);
    expect(m).toEqual(p.marker);
    expect(m).toMatchObject({
      kind: 'auto',
      services: ['checkout'],
      changes: [{ service: 'checkout', from: 'us-east-1', to: 'us-west-2' }],
      startedAt: '2026-03-01T11:50:00.000Z',
      receivedAt: '2026-03-01T11:59:58.000Z',
      openedAt: NOW,
    });
    expect(m?.fingerprints).toHaveLength(2);
  });
  it('a manual, forced failover: command and who, forced rule highlighted, recorded in the marker and commit', () => {
    const firing = regionDown('us-west-2');
    const d = decideCommand({
      command: {
        verb: 'failover',
        service: 'checkout',
        target: 'us-west-2',
        force: 'target_alerting',
        reason: 'probe | broken',
      },
      actor: { login: 'alice', permission: 'admin' },
      config: config(),
      repo: repo(),
      now: NOW,
      firing,
    });
    const command = '/failover checkout us-west-2 --force target_alerting --reason "probe | broken"';
    const p = planPr(d, {
      ...alertCtx,
      receivedAt: NOW,
      trigger: {
        type: 'command',
        by: 'alice',
        command,
        commentUrl: 'https://github.com/acme/infra/issues/1#issuecomment-9',
      },
    });
    expect(p.labels).toEqual(['failover', 'failover:manual']);
    expect(p.body).toContain(
      'given by @alice ([comment](https://github.com/acme/infra/issues/1#issuecomment-9))',
    );
    // Issue 7: a forced rule records who forced it, in the trace, the marker and the commit.
    expect(p.body).toContain('| **target_alerting** | ⚠️ **forced** by @alice (probe \\| broken) |');
    expect(p.marker.forced).toEqual([{ rule: 'target_alerting', reason: 'probe | broken', by: 'alice' }]);
    expect(p.marker.startedAt).toBe(NOW);
    expect(p.commitMessage).toContain('Forced-rule: target_alerting by alice (probe | broken)');
    expect(p.merge).toBe(true);
  });
  it('labels and titles per kind', () => {
    const drill = decideCommand({
      command: { verb: 'drill', service: 'checkout', target: 'eu-west-1' },
      actor: { login: 'a', permission: 'write' },
      config: config(),
      repo: repo(),
      now: NOW,
    });
    const p = planPr(drill, {
      ...alertCtx,
      trigger: { type: 'command', by: 'a', command: '/failover drill checkout eu-west-1' },
    });
    expect(p.labels).toEqual(['failover', 'failover:drill']);
    expect(p.title).toBe('Failover drill checkout: us-east-1 → eu-west-1');
    expect(p.marker.drill).toEqual({ leg: 'failover', before: { checkout: 'us-east-1' } });
  });
  it('a diff containing ``` cannot break the fence', () => {
    const d = autoDecision();
    const diff = '--- a/x.yaml\n+++ b/x.yaml\n@@ -1 +1 @@\n-note: "```"\n+note: "````"\n';
    const p = planPr({ ...d, edits: [{ path: 'x.yaml', oldText: '', newText: '', diff }] }, alertCtx);
    expect(p.body).toContain(`\`\`\`\`\`diff\n${diff}\`\`\`\`\``);
  });
  it('an open-pr decision does not merge; a weighted decision titles the receivers', () => {
    const r = repo();
    const d = decide({
      signals: [
        {
          ...regionDown()[0],
          labels: { alertname: 'EdgeDown', region: 'us-east-1', severity: 'critical' },
        } as Decision['signals'][number],
      ],
      config: config(),
      repo: r,
      now: NOW,
    })[0] as Decision;
    const p = planPr(d, alertCtx);
    expect(p.merge).toBe(false);
    expect(p.title).toBe('Failover web: us-east-1 → us-west-2, eu-west-1');
    expect(p.edits[0]?.path).toBe(WEB_YAML);
  });
});

describe('fitBody', () => {
  it('leaves short bodies alone', () => {
    expect(fitBody('short')).toBe('short');
  });
  it('cuts a huge trace with a note, never the marker, and stays under 65,536', () => {
    const d = autoDecision();
    const trace: RuleResult[] = Array.from({ length: 5_000 }, (_, i) => ({
      rule: 'quorum',
      ok: i % 2 === 0,
      seen: `probe-${i} disagreed `.repeat(3),
    }));
    const p = planPr({ ...d, trace }, alertCtx);
    expect(p.body.length).toBeLessThanOrEqual(65_536);
    expect(p.body).toMatch(/✂️ \d+ more trace lines cut to keep this under 65,536 characters/);
    expect(parseMarker(p.body)).toEqual(p.marker);
    expect(p.body).toContain('### Timeline');
    expect(p.body).toContain('```diff');
  });
  it('cuts a huge diff, closes the open fence, keeps the marker', () => {
    const d = autoDecision();
    const diff = `--- a/x\n+++ b/x\n${'+ line of a very long file\n'.repeat(10_000)}`;
    const p = planPr({ ...d, edits: [{ path: 'x.json', oldText: '', newText: '', diff }] }, alertCtx);
    expect(p.body.length).toBeLessThanOrEqual(65_536);
    expect(parseMarker(p.body)).toEqual(p.marker);
    const fences = p.body.split('\n').filter((l) => /^```/.test(l));
    expect(fences.length % 2).toBe(0);
    expect(p.body).toMatch(/✂️ cut to keep this under 65,536 characters/);
  });
  it('respects a smaller limit and works on text without a marker', () => {
    const out = fitBody('x'.repeat(5_000), 1_000);
    expect(out.length).toBeLessThanOrEqual(1_000);
    expect(out).toMatch(/cut to keep this under 1,000/);
  });
});

describe('timeline', () => {
  it('later rows are filled by others, with the RTO once verified', () => {
    const m = marker();
    const t = renderTimeline(m, {
      merged: '2026-03-01T11:53:00.000Z',
      applied: '2026-03-01T11:55:00.000Z',
      verified: '2026-03-01T11:56:30.000Z',
      notes: { verified: '3/3 checks' },
    });
    expect(t).toContain('| merged | 2026-03-01 11:53:00Z | +3m |');
    expect(t).toContain('| verified | 2026-03-01 11:56:30Z (3/3 checks) | +6m 30s |');
    expect(t).toContain('RTO (alert start → verified): **6m 30s**');
  });
  it('replaceTimeline swaps the section in place and keeps the marker', () => {
    const p = planPr(autoDecision(), alertCtx);
    const updated = replaceTimeline(p.body, p.marker, { merged: '2026-03-01T12:01:00.000Z' });
    expect(updated).toContain('| merged | 2026-03-01 12:01:00Z | +11m |');
    expect(updated.split('<!-- gitops-failover:timeline -->')).toHaveLength(2);
    expect(parseMarker(updated)).toEqual(p.marker);
    const appended = replaceTimeline(`body\n\n${renderMarker(p.marker)}`, p.marker, {});
    expect(appended.indexOf('### Timeline')).toBeLessThan(appended.indexOf('<!-- gitops-failover {'));
  });
});

describe('renderStatus', () => {
  it('one row per service with active target, pending PR, last change and cooldown left', () => {
    const r = repo({
      frozen: true,
      files: { ...repo().files, [WEB_YAML]: webYaml(0, 60, 40) },
      history: [
        {
          services: ['web'],
          from: 'us-east-1',
          to: 'us-west-2, eu-west-1',
          kind: 'auto',
          mergedAt: '2026-03-01T11:45:00.000Z',
          pr: 4,
        },
      ],
    });
    const s = renderStatus(config(), r, NOW);
    expect(s.split('\n')[0]).toBe('| service | active | pending PR | last change | cooldown left |');
    expect(s).toContain('| checkout | us-east-1 | - | - | - |');
    expect(s).toContain(
      '| web | us-east-1=0 us-west-2=60 eu-west-1=40 | - | auto us-east-1 → us-west-2, eu-west-1, 15m ago (#4) | 15m |',
    );
    expect(s).toMatch(/frozen/);
  });
});

describe('storms', () => {
  it('10,000 alerts: the body lists 50, the marker keeps 200 fingerprints, all under the limit', () => {
    const d = autoDecision();
    const many = Array.from({ length: 10_000 }, (_, i) => ({
      ...(d.signals[0] as Decision['signals'][number]),
      fingerprint: `fp-${i}`,
    }));
    const p = planPr({ ...d, signals: many }, alertCtx);
    expect(p.body.length).toBeLessThanOrEqual(65_536);
    expect(p.body).toContain('…and 9950 more alerts.');
    expect(p.marker.fingerprints).toHaveLength(200);
    expect(parseMarker(p.body)).toEqual(p.marker);
  });
  it('fitBody: property — never over the limit, the marker always survives', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 3_000 }), fc.integer({ min: 600, max: 2_000 }), (junk, limit) => {
        const m = marker();
        const body = `${'```diff\n'}${junk.repeat(3)}\n\n${renderMarker(m)}`;
        const out = fitBody(body, limit);
        expect(out.length).toBeLessThanOrEqual(limit);
        expect(parseMarker(out)).toEqual(m);
      }),
      { numRuns: 200 },
    );
  });
});
