// Issue 7: every path decides on this event's signals + every alert the source of record says is firing
// + the live health of each candidate target. The "Seen:" cases of the issue come first: each failed
// before the world view and passes now.
import { describe, expect, it } from 'vitest';
import { decide } from '../../../src/core/policy/alerts.js';
import { decideDrillFailback, decideRollback } from '../../../src/core/policy/follow-up.js';
import { decideCommand } from '../../../src/core/policy/manual.js';
import { planPr } from '../../../src/core/render/index.js';
import type { Actor, Signal } from '../../../src/core/types.js';
import type { FiringAlert, HealthVerdict, WorldRead, WorldView } from '../../../src/core/world.js';
import { followUpNext } from '../../../src/service/command-text.js';
import {
  config,
  marker,
  NOW,
  openPr,
  record,
  regionDown,
  repo,
  signal,
  svc,
  TFVARS,
  tfvars,
  WEB_YAML,
  webYaml,
} from './world.js';

const ALICE: Actor = { login: 'alice', permission: 'admin' };
const firing = (signals: Signal[], state: FiringAlert['state'] = 'active'): FiringAlert[] =>
  signals.map((s) => ({ ...s, state }));
const up: WorldRead<HealthVerdict> = { status: 'read', value: { health: 'up', detail: '' } };
const down = (detail: string): WorldRead<HealthVerdict> => ({
  status: 'read',
  value: { health: 'down', detail },
});

/** A world: alerts from the source of record, and health per service and target (default: not read). */
function world(alerts: FiringAlert[] = [], health: WorldView['health'] = {}): WorldView {
  return { alerts: { status: 'read', value: alerts }, health };
}

describe('Seen: a standby that alerted earlier, or in another source, gets no automatic merge', () => {
  it('a standby alerting in the source of record is skipped: the first healthy target in config order', () => {
    const [d] = decide({
      signals: regionDown('us-east-1'),
      config: config(),
      repo: repo(),
      now: NOW,
      world: world(firing(regionDown('us-west-2'))),
    });
    expect(d).toMatchObject({ action: 'merge', from: 'us-east-1', to: 'eu-west-1' });
    expect(d?.trace.find((r) => r.rule === 'alert_source')?.seen).toMatch(/2 beyond this event/);
  });

  it('double failure: refused in one sentence naming each target and why, with the next command', () => {
    const [d] = decide({
      signals: regionDown('us-east-1'),
      config: config(),
      repo: repo(),
      now: NOW,
      world: world(firing(regionDown('eu-west-1', {}, ['a']), 'suppressed'), {
        checkout: { 'us-east-1': up, 'us-west-2': down('healthz: HTTP 503'), 'eu-west-1': up },
      }),
    });
    expect(d?.action).toBe('none');
    expect(d?.reasons[0]).toBe(
      'target: double failure: us-east-1 down (2 alerts), us-west-2 down (health: healthz: HTTP 503), eu-west-1 down (1 alert, 1 silenced or inhibited)',
    );
    expect(d?.reasons.at(-1)).toMatch(
      /^Refused: automatic failover of checkout off us-east-1, because target: double failure: .*\. Next: `\/failover checkout us-west-2 --force target_health --reason "\.\.\."`\.$/,
    );
  });

  it('the source of record can trigger, but a silenced (maintenance) alert only marks its target failing', () => {
    // This event is about eu-west-1 (passive); the source of record knows us-east-1 (active) is down.
    const event = regionDown('eu-west-1', {}, ['a']);
    const [active] = decide({
      signals: event,
      config: config(),
      repo: repo(),
      now: NOW,
      world: world(firing(regionDown('us-east-1'))),
    });
    expect(active).toMatchObject({ action: 'merge', from: 'us-east-1', to: 'us-west-2' });
    const [silenced] = decide({
      signals: event,
      config: config(),
      repo: repo(),
      now: NOW,
      world: world(firing(regionDown('us-east-1'), 'suppressed')),
    });
    expect(silenced?.action).toBe('none');
    expect(silenced?.reasons[0]).toMatch(/alert for eu-west-1, which is not active/);
  });
});

describe('Seen: a group judged by whichever member alerted', () => {
  const cfg = config((raw) => {
    svc(raw, 'payments-db').automation = {
      on_alert: 'merge',
      min_severity: 'critical',
      stabilize: '5m',
      cooldown: '6h',
    };
    svc(raw, 'payments-api').automation = {
      on_alert: 'merge',
      min_severity: 'warning',
      stabilize: '0s',
      cooldown: '30m',
    };
  });
  const lastHour = record({
    services: ['payments-db', 'payments-api'],
    from: 'us-west-2',
    to: 'us-east-1',
    mergedAt: '2026-03-01T11:00:00.000Z',
    pr: 30,
  });
  const apiWarning = signal(
    { alertname: 'PaymentsApiDown', region: 'us-east-1', severity: 'warning' },
    { startsAt: '2026-03-01T11:59:50.000Z' },
  );

  it('a 10-second-old warning on the API cannot flip the database back inside its 6h cooldown', () => {
    const [d] = decide({ signals: [apiWarning], config: cfg, repo: repo({ history: [lastHour] }), now: NOW });
    expect(d?.service).toBe('group-payments');
    expect(d?.action).toBe('none');
    const failed = d?.trace.filter((r) => !r.ok).map((r) => r.rule);
    expect(failed).toEqual(expect.arrayContaining(['severity', 'stabilize', 'cooldown']));
    expect(d?.trace.find((r) => r.rule === 'severity')?.seen).toMatch(/need critical/);
    expect(d?.trace.find((r) => r.rule === 'stabilize')?.seen).toMatch(/need 5m/);
    expect(d?.trace.find((r) => r.rule === 'cooldown' && !r.ok)?.seen).toMatch(
      /^payments-db: last automatic failover 1h ago, PR #30 \(need 6h\)$/,
    );
  });

  it("one member's target down blocks the group, naming the member", () => {
    const [d] = decide({
      signals: [
        signal(
          { alertname: 'PaymentsApiDown', region: 'us-east-1', severity: 'critical' },
          { startsAt: '2026-03-01T11:50:00.000Z' },
        ),
      ],
      config: cfg,
      repo: repo(),
      now: NOW,
      world: world([], {
        'payments-db': { 'us-west-2': down('replication-lag: 42') },
        'payments-api': { 'us-west-2': up },
      }),
    });
    expect(d?.action).toBe('none');
    expect(d?.reasons[0]).toMatch(/us-west-2 down \(health for payments-db: replication-lag: 42\)/);
  });
});

describe('Seen: drill failback', () => {
  const drillLeg = marker({
    kind: 'drill',
    drill: { leg: 'failover' },
    changes: [{ service: 'checkout', from: 'eu-west-1', to: 'us-west-2' }],
    trigger: { type: 'command', by: 'alice', command: '/failover drill checkout us-west-2' },
  });
  const onWest = repo({ files: { [TFVARS]: tfvars('us-west-2') } });

  it('returns to where traffic was before the drill, not to the primary', () => {
    const { decision, merge } = decideDrillFailback({
      marker: drillLeg,
      prNumber: 40,
      config: config(),
      repo: onWest,
      now: NOW,
    });
    expect(decision).toMatchObject({ action: 'merge', from: 'us-west-2', to: 'eu-west-1', kind: 'drill' });
    expect(merge).toBe(true);
  });

  it('stops and reports when that target is down or alerting', () => {
    const sick = decideDrillFailback({
      marker: drillLeg,
      prNumber: 40,
      config: config(),
      repo: onWest,
      now: NOW,
      world: world(firing(regionDown('eu-west-1'))),
    });
    expect(sick.decision.action).toBe('none');
    expect(sick.decision.reasons.join(' ')).toMatch(/eu-west-1 has 2 firing alerts/);
    const dead = decideDrillFailback({
      marker: drillLeg,
      prNumber: 40,
      config: config(),
      repo: onWest,
      now: NOW,
      world: world([], { checkout: { 'eu-west-1': down('healthz: HTTP 503') } }),
    });
    expect(dead.decision.action).toBe('none');
    expect(dead.decision.reasons.join(' ')).toMatch(
      /target_health: eu-west-1 down \(health: healthz: HTTP 503\)/,
    );
  });

  it('inconclusive health: the failback PR is opened for a person, never merged', () => {
    const unsure = decideDrillFailback({
      marker: drillLeg,
      prNumber: 40,
      config: config(),
      repo: onWest,
      now: NOW,
      world: world([], {
        checkout: {
          'eu-west-1': {
            status: 'read',
            value: { health: 'inconclusive', detail: 'h: no verdict within 5s' },
          },
        },
      }),
    });
    expect(unsure.merge).toBe(false);
    expect(unsure.decision.unseen?.[0]).toMatch(/eu-west-1 unknown \(health inconclusive/);
  });
});

describe('Seen: rollback after failed verification', () => {
  const reversible = config((raw) => {
    svc(raw, 'checkout').automation.rollback_on_failed_verify = true;
  });
  const afterFlip = repo({ files: { [TFVARS]: tfvars('us-west-2') } });
  const input = {
    record: {
      services: ['checkout'],
      changes: [{ service: 'checkout', from: 'us-east-1', to: 'us-west-2' }],
      applied: true,
      verified: false,
      failure: 'verify failed',
    },
    marker: marker(),
    prNumber: 21,
    config: reversible,
    now: NOW,
  };

  it('never into the region that is failing', () => {
    const d = decideRollback({ ...input, repo: afterFlip, world: world(firing(regionDown('us-east-1'))) });
    expect(d.action).toBe('none');
    expect(d.reasons.join(' ')).toMatch(/target_alerting: us-east-1 has 2 firing alerts/);
  });

  it('never under a freeze', () => {
    const d = decideRollback({ ...input, repo: { ...afterFlip, frozen: true } });
    expect(d.action).toBe('none');
    expect(d.reasons[0]).toMatch(/^frozen: no automatic rollback/);
  });

  it('to a healthy target it merges, as before', () => {
    const d = decideRollback({
      ...input,
      repo: afterFlip,
      world: world([], { checkout: { 'us-east-1': up } }),
    });
    expect(d).toMatchObject({ action: 'merge', to: 'us-east-1' });
    expect(d.unseen).toBeUndefined();
  });
});

describe('Seen: a command to an alerting target', () => {
  const command = { verb: 'failover' as const, service: 'checkout', target: 'us-west-2' };

  it('is refused when the source of record says the target is alerting', () => {
    const d = decideCommand({
      command,
      actor: ALICE,
      config: config(),
      repo: repo(),
      now: NOW,
      world: world(firing(regionDown('us-west-2'))),
    });
    expect(d.action).toBe('none');
    expect(d.reasons[0]).toMatch(/^target_alerting: us-west-2 has 2 firing alerts/);
  });

  it('never says "no firing alert" when nothing was checked', () => {
    const d = decideCommand({ command, actor: ALICE, config: config(), repo: repo(), now: NOW });
    const r = d.trace.find((t) => t.rule === 'target_alerting');
    expect(r?.checked).toBe(false);
    expect(r?.seen).toMatch(/source of record not checked: none configured/);
    expect(d.trace.find((t) => t.rule === 'target_health')?.seen).toMatch(/not checked: none configured/);
  });

  it('a down target needs --force target_health --reason, recorded with who forced it', () => {
    const sick = world([], { checkout: { 'us-west-2': down('healthz: HTTP 503') } });
    const refused = decideCommand({
      command,
      actor: ALICE,
      config: config(),
      repo: repo(),
      now: NOW,
      world: sick,
    });
    expect(refused.reasons[0]).toBe('target_health: us-west-2 down (health: healthz: HTTP 503)');
    const forced = decideCommand({
      command: { ...command, force: 'target_health', reason: 'the probe is wrong' },
      actor: ALICE,
      config: config(),
      repo: repo(),
      now: NOW,
      world: sick,
    });
    expect(forced.action).toBe('merge');
    expect(forced.trace.find((t) => t.rule === 'target_health')?.forced).toEqual({
      reason: 'the probe is wrong',
      by: 'alice',
    });
  });
});

describe('every path keeps every rule', () => {
  it('an unreadable source of record: at most a PR for a human, saying what could not be seen', () => {
    const [d] = decide({
      signals: regionDown('us-east-1'),
      config: config(),
      repo: repo(),
      now: NOW,
      world: {
        alerts: { status: 'unreadable', why: 'alertmanager alert source: http://am:9093: HTTP 502' },
        health: {},
      },
    });
    expect(d?.action).toBe('open-pr');
    expect(d?.unseen).toEqual(['firing alerts (alertmanager alert source: http://am:9093: HTTP 502)']);
    expect(d?.reasons[1]).toMatch(/^not merged automatically: could not see firing alerts/);
    const src = d?.trace.find((r) => r.rule === 'alert_source');
    expect(src).toMatchObject({
      ok: true,
      checked: false,
      seen: 'not checked: alertmanager alert source: http://am:9093: HTTP 502',
    });
  });

  it('an inconclusive destination: a PR for a human, not a merge', () => {
    const [d] = decide({
      signals: regionDown('us-east-1'),
      config: config(),
      repo: repo(),
      now: NOW,
      world: world([], {
        checkout: {
          'us-west-2': {
            status: 'read',
            value: { health: 'inconclusive', detail: 'h: no verdict within 5s' },
          },
          'eu-west-1': down('h: HTTP 500'),
        },
      }),
    });
    expect(d).toMatchObject({ action: 'open-pr', to: 'us-west-2' });
    expect(d?.unseen?.[0]).toMatch(/us-west-2 unknown/);
  });

  it('clock skew: a startsAt in the future is refused in those words', () => {
    const [d] = decide({
      signals: regionDown('us-east-1', { startsAt: '2026-03-01T12:10:00.000Z' }),
      config: config(),
      repo: repo(),
      now: NOW,
    });
    expect(d?.action).toBe('none');
    expect(d?.reasons[0]).toMatch(/^clock: clock skew: 2 alerts start in the future/);
  });

  it('a firing alert whose endsAt is past is treated as resolved', () => {
    const [d] = decide({
      signals: regionDown('us-east-1', { endsAt: '2026-03-01T11:59:00.000Z' }),
      config: config(),
      repo: repo(),
      now: NOW,
    });
    expect(d?.action).toBe('none');
    expect(d?.reasons[0]).toMatch(/resolved/);
  });

  it('a route without target_label blames the target active when the alert started (from history)', () => {
    const cfg = config((raw) => {
      svc(raw, 'checkout').alerts = [{ matchers: ['alertname="RegionDown"'] }];
    });
    // Traffic moved us-east-1 → us-west-2 at 11:30; the alert started at 11:20, about us-east-1.
    const moved = repo({
      files: { [TFVARS]: tfvars('us-west-2') },
      history: [
        record({ from: 'us-east-1', to: 'us-west-2', mergedAt: '2026-03-01T11:30:00.000Z', kind: 'manual' }),
      ],
    });
    const [d] = decide({
      signals: regionDown('x', { startsAt: '2026-03-01T11:20:00.000Z' }),
      config: cfg,
      repo: moved,
      now: NOW,
    });
    expect(d?.action).toBe('none');
    expect(d?.reasons[0]).toMatch(/alert for us-east-1, which is not active/);
  });

  it('weighted: one decision drains every failing target; refuses only when no healthy target keeps weight', () => {
    const edge = (region: string) => signal({ alertname: 'EdgeDown', region, severity: 'critical' });
    const [d] = decide({
      signals: [edge('us-east-1')],
      config: config(),
      repo: repo(),
      now: NOW,
      world: world([], { web: { 'us-west-2': down('ready: HTTP 503') } }),
    });
    expect(d?.edits[0]?.newText).toBe(webYaml(0, 0, 100));
    const [none] = decide({
      signals: [edge('us-east-1'), edge('us-west-2'), edge('eu-west-1')],
      config: config(),
      repo: repo({ files: { [TFVARS]: tfvars(), [WEB_YAML]: webYaml() } }),
      now: NOW,
    });
    expect(none?.action).toBe('none');
    expect(none?.reasons[0]).toMatch(/^target: no healthy target would keep weight/);
  });

  it('cancel_on_resolve: closes only when every alert that opened the PR resolved and nothing else fires', () => {
    const [a, b] = regionDown('us-east-1');
    const pr = openPr({}, { fingerprints: [a?.fingerprint ?? '', b?.fingerprint ?? ''] });
    const resolvedA = [{ ...(a as Signal), status: 'resolved' as const }];
    const [half] = decide({
      signals: resolvedA,
      config: config(),
      repo: repo({ openPrs: [pr] }),
      now: NOW,
      world: world(firing([b as Signal])),
    });
    expect(half).toMatchObject({
      action: 'none',
      reasons: ['PR #12 stays open: 1 of the alerts that opened it still fire'],
    });
    const other = signal({
      alertname: 'RegionDown',
      service: 'checkout',
      region: 'us-east-1',
      severity: 'critical',
      probe: 'c',
    });
    const both = [a, b].map((s) => ({ ...(s as Signal), status: 'resolved' as const }));
    const [more] = decide({
      signals: both,
      config: config(),
      repo: repo({ openPrs: [pr] }),
      now: NOW,
      world: world(firing([other])),
    });
    expect(more?.reasons[0]).toBe('PR #12 stays open: 1 other alert still fires for us-east-1');
    const [done] = decide({
      signals: both,
      config: config(),
      repo: repo({ openPrs: [pr] }),
      now: NOW,
      world: world([]),
    });
    expect(done?.action).toBe('close-pr');
  });

  it('anti-flap budget: drills and manual moves do not use it, unless count_manual; a refusal names the PR and kind', () => {
    const history = [
      record({ kind: 'drill', pr: 50, mergedAt: '2026-03-01T11:50:00.000Z' }),
      record({ kind: 'manual', pr: 49 }),
    ];
    const [free] = decide({
      signals: regionDown('us-east-1'),
      config: config(),
      repo: repo({ history }),
      now: NOW,
    });
    expect(free?.action).toBe('merge');
    const counting = config((raw) => {
      svc(raw, 'checkout').automation.count_manual = true;
    });
    const [spent] = decide({
      signals: regionDown('us-east-1'),
      config: counting,
      repo: repo({ history }),
      now: NOW,
    });
    expect(spent?.reasons[0]).toBe('cooldown: last drill 10m ago, PR #50 (need 1h)');
  });

  it('no drill while an incident PR is open, nor under a freeze', () => {
    const drill = { verb: 'drill' as const, service: 'checkout', target: 'us-west-2' };
    const incident = decideCommand({
      command: drill,
      actor: ALICE,
      config: config(),
      repo: repo({ openPrs: [openPr()] }),
      now: NOW,
    });
    expect(incident.reasons[0]).toBe(
      'open_pr: PR #12 (auto) is an open incident failover: no drill while it is open',
    );
    const frozen = decideCommand({
      command: drill,
      actor: ALICE,
      config: config(),
      repo: repo({ frozen: true }),
      now: NOW,
    });
    expect(frozen.reasons[0]).toMatch(/^freeze: frozen: no drill starts/);
  });

  it('a real incident ends a pending drill: its PR is closed with the reason and the incident takes over', () => {
    const drillPr = openPr(
      {},
      { kind: 'drill', changes: [{ service: 'checkout', from: 'us-east-1', to: 'eu-west-1' }] },
    );
    const [d] = decide({
      signals: regionDown('us-east-1'),
      config: config(),
      repo: repo({ openPrs: [drillPr] }),
      now: NOW,
    });
    expect(d).toMatchObject({ action: 'merge', to: 'us-west-2' });
    expect(d?.supersedes).toEqual({
      pr: 12,
      comment: expect.stringMatching(/^A real incident on checkout ends this drill/),
    });
  });

  it('a pending automatic PR whose target starts failing is moved to a healthy target before anyone merges it', () => {
    const pending = openPr({}, { changes: [{ service: 'checkout', from: 'us-east-1', to: 'us-west-2' }] });
    const [d] = decide({
      signals: regionDown('us-west-2'),
      config: config(),
      repo: repo({ openPrs: [pending] }),
      now: NOW,
      world: world(firing(regionDown('us-east-1'))),
    });
    expect(d).toMatchObject({ action: 'merge', to: 'eu-west-1', supersedes: { pr: 12 } });
    expect(d?.supersedes?.comment).toMatch(
      /would move checkout onto a failing target: us-west-2 down \(2 alerts\)/,
    );
  });

  it("a person's pending PR whose target starts failing gets a comment saying so", () => {
    const theirs = openPr(
      {},
      { kind: 'manual', changes: [{ service: 'checkout', from: 'us-east-1', to: 'us-west-2' }] },
    );
    const [d] = decide({
      signals: regionDown('us-west-2'),
      config: config(),
      repo: repo({ openPrs: [theirs] }),
      now: NOW,
      world: world(firing(regionDown('us-east-1'))),
    });
    expect(d).toMatchObject({ action: 'comment', pr: 12 });
    expect(d?.comment).toMatch(/target of this PR is failing now: us-west-2 down \(2 alerts\)/);
  });
});

describe('trace honesty in the PR', () => {
  it('a rule that could not be evaluated shows "not checked", and an unseen world puts a warning on top', () => {
    const [d] = decide({
      signals: regionDown('us-east-1'),
      config: config(),
      repo: repo(),
      now: NOW,
      world: { alerts: { status: 'unreadable', why: 'HTTP 502 from the source' }, health: {} },
    });
    if (!d) throw new Error('no decision');
    const plan = planPr(d, {
      config: config(),
      repo: repo(),
      now: NOW,
      receivedAt: NOW,
      trigger: { type: 'alert', sources: ['alertmanager'] },
    });
    expect(plan.merge).toBe(false);
    expect(plan.body).toContain('| alert_source | ⚪ not checked | not checked: HTTP 502 from the source |');
    expect(plan.body).toContain(
      'Not merged automatically: part of the world could not be seen. firing alerts (HTTP 502 from the source)',
    );
    expect(plan.body).not.toMatch(/target_alerting \| ✅ pass/);
  });

  it('a refused rollback says the command a person can give instead', () => {
    const reversible = config((raw) => {
      svc(raw, 'checkout').automation.rollback_on_failed_verify = true;
    });
    const d = decideRollback({
      record: {
        services: ['checkout'],
        changes: [{ service: 'checkout', from: 'us-east-1', to: 'us-west-2' }],
        applied: true,
        verified: false,
      },
      marker: marker(),
      prNumber: 21,
      config: reversible,
      repo: repo({ files: { [TFVARS]: tfvars('us-west-2') } }),
      now: NOW,
      world: world(firing(regionDown('us-east-1'))),
    });
    expect(followUpNext(d)).toBe(
      ' Next, by hand if still wanted: `/failover checkout us-east-1 --force target_alerting --reason "..."`.',
    );
  });
});

describe('drill failback restores the weights the drill found', () => {
  it('weighted: back to the weights before the drill, not the baseline', () => {
    const found = repo({ files: { [TFVARS]: tfvars(), [WEB_YAML]: webYaml(60, 40, 0) } });
    const drill = decideCommand({
      command: { verb: 'drill', service: 'web', target: 'eu-west-1' },
      actor: ALICE,
      config: config(),
      repo: found,
      now: NOW,
    });
    expect(drill.action).toBe('merge');
    const plan = planPr(drill, {
      config: config(),
      repo: found,
      now: NOW,
      receivedAt: NOW,
      trigger: { type: 'command', by: 'alice', command: '/failover drill web eu-west-1' },
    });
    expect(plan.marker.drill).toEqual({
      leg: 'failover',
      before: { web: { 'us-east-1': 60, 'us-west-2': 40, 'eu-west-1': 0 } },
    });
    const during = repo({ files: { [TFVARS]: tfvars(), [WEB_YAML]: webYaml(0, 0, 100) } });
    const { decision } = decideDrillFailback({
      marker: plan.marker,
      prNumber: 41,
      config: config(),
      repo: during,
      now: NOW,
    });
    expect(decision.action).toBe('merge');
    expect(decision.edits[0]?.newText).toBe(webYaml(60, 40, 0));
  });
});
