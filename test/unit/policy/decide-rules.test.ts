// Every rule of the alert path, shown passing and blocking, table-driven.
import { describe, expect, it } from 'vitest';
import { decide } from '../../../src/core/policy/index.js';
import type { Decision, RepoView, Signal } from '../../../src/core/types.js';
import { config, NOW, openPr, record, regionDown, repo, signal, svc, TFVARS, tfvars } from './world.js';

interface Case {
  name: string;
  signals: Signal[];
  mutate?: Parameters<typeof config>[0];
  repo?: Partial<RepoView>;
  action: Decision['action'];
  /** The rule that must fail (blocking cases) or pass (passing cases). */
  rule: string;
  ok: boolean;
  to?: string;
  seen?: RegExp;
}

const mins = (n: number) => new Date(Date.parse(NOW) - n * 60_000).toISOString();

const cases: Case[] = [
  // target: the failing target comes from the label; the new one is the next healthy in config order
  {
    name: 'target: active region failing',
    signals: regionDown('us-east-1'),
    action: 'merge',
    rule: 'target',
    ok: true,
    to: 'us-west-2',
    seen: /us-east-1 is failing/,
  },
  {
    name: 'target: passive region failing is no reason to move',
    signals: regionDown('us-west-2'),
    action: 'none',
    rule: 'target',
    ok: false,
    seen: /not active/,
  },
  {
    name: 'target: region label missing',
    signals: [signal({ alertname: 'RegionDown', service: 'checkout', severity: 'critical', probe: 'a' })],
    action: 'none',
    rule: 'target',
    ok: false,
    seen: /no region label/,
  },
  {
    name: 'target: region that is not a target',
    signals: regionDown('ap-south-9'),
    action: 'none',
    rule: 'target',
    ok: false,
    seen: /not a target/,
  },
  {
    name: 'target: wraps around to the first target after the last',
    signals: regionDown('eu-west-1'),
    repo: { files: { [TFVARS]: tfvars('eu-west-1') } },
    action: 'merge',
    rule: 'target',
    ok: true,
    to: 'us-east-1',
  },
  // severity
  {
    name: 'severity: critical passes',
    signals: regionDown(),
    action: 'merge',
    rule: 'severity',
    ok: true,
    seen: /critical/,
  },
  {
    name: 'severity: error passes when min is error',
    signals: regionDown().map((s) => ({ ...s, labels: { ...s.labels, severity: 'error' } })),
    mutate: (r) => {
      svc(r, 'checkout').automation.min_severity = 'error';
    },
    action: 'merge',
    rule: 'severity',
    ok: true,
  },
  {
    name: 'severity: warning blocks',
    signals: regionDown().map((s) => ({ ...s, labels: { ...s.labels, severity: 'warning' } })),
    action: 'none',
    rule: 'severity',
    ok: false,
    seen: /warning \(need critical/,
  },
  {
    name: 'severity: missing label is not enough',
    signals: regionDown().map((s) => ({ ...s, labels: { ...s.labels, severity: '' } })),
    action: 'none',
    rule: 'severity',
    ok: false,
  },
  {
    name: 'severity: no severity label at all',
    signals: regionDown().map(({ labels: { severity: _s, ...rest }, ...s }) => ({ ...s, labels: rest })),
    action: 'none',
    rule: 'severity',
    ok: false,
    seen: /no severity label/,
  },
  // stabilize
  {
    name: 'stabilize: firing 10m passes 2m',
    signals: regionDown(),
    action: 'merge',
    rule: 'stabilize',
    ok: true,
    seen: /10m/,
  },
  {
    name: 'stabilize: exactly 2m passes',
    signals: regionDown('us-east-1', { startsAt: mins(2) }),
    action: 'merge',
    rule: 'stabilize',
    ok: true,
  },
  {
    name: 'stabilize: firing 1m blocks',
    signals: regionDown('us-east-1', { startsAt: mins(1) }),
    action: 'none',
    rule: 'stabilize',
    ok: false,
    seen: /1m .*need 2m/,
  },
  // quorum
  {
    name: 'quorum: two probes pass',
    signals: regionDown(),
    action: 'merge',
    rule: 'quorum',
    ok: true,
    seen: /2 distinct probe values/,
  },
  {
    name: 'quorum: one probe blocks',
    signals: regionDown('us-east-1', {}, ['blackbox-a']),
    action: 'none',
    rule: 'quorum',
    ok: false,
    seen: /1 distinct probe value .*need 2/,
  },
  {
    name: 'quorum: the same probe twice counts once',
    signals: regionDown('us-east-1', {}, ['blackbox-a', 'blackbox-a']),
    action: 'none',
    rule: 'quorum',
    ok: false,
  },
  {
    name: 'quorum: an unstable second probe does not count',
    signals: [
      ...regionDown('us-east-1', {}, ['a']),
      ...regionDown('us-east-1', { startsAt: mins(1) }, ['b']),
    ],
    action: 'none',
    rule: 'quorum',
    ok: false,
  },
  {
    name: 'quorum: not configured passes',
    signals: regionDown('us-east-1', {}, ['a']),
    mutate: (r) => {
      delete svc(r, 'checkout').automation.quorum;
    },
    action: 'merge',
    rule: 'quorum',
    ok: true,
    seen: /no quorum/,
  },
  // freeze
  { name: 'freeze: not frozen passes', signals: regionDown(), action: 'merge', rule: 'freeze', ok: true },
  {
    name: 'freeze: freeze file stops automation',
    signals: regionDown(),
    repo: { frozen: true },
    action: 'none',
    rule: 'freeze',
    ok: false,
    seen: /freeze file/,
  },
  // automation
  { name: 'automation: merge merges', signals: regionDown(), action: 'merge', rule: 'automation', ok: true },
  {
    name: 'automation: pr opens a PR',
    signals: regionDown(),
    mutate: (r) => {
      svc(r, 'checkout').automation.on_alert = 'pr';
    },
    action: 'open-pr',
    rule: 'automation',
    ok: true,
  },
  {
    name: 'automation: off does nothing',
    signals: regionDown(),
    mutate: (r) => {
      svc(r, 'checkout').automation.on_alert = 'off';
    },
    action: 'none',
    rule: 'automation',
    ok: false,
    seen: /off/,
  },
  // cooldown
  { name: 'cooldown: no history passes', signals: regionDown(), action: 'merge', rule: 'cooldown', ok: true },
  {
    name: 'cooldown: 2h ago passes 1h',
    signals: regionDown(),
    repo: { history: [record({ mergedAt: mins(120) })] },
    action: 'merge',
    rule: 'cooldown',
    ok: true,
  },
  {
    name: 'cooldown: 30m ago blocks',
    signals: regionDown(),
    repo: { history: [record({ mergedAt: mins(30) })] },
    action: 'none',
    rule: 'cooldown',
    ok: false,
    seen: /30m ago.*need 1h/,
  },
  {
    name: 'cooldown: another service history does not count',
    signals: regionDown(),
    repo: { history: [record({ services: ['web'], mergedAt: mins(5) })] },
    action: 'merge',
    rule: 'cooldown',
    ok: true,
  },
  // max_per_day
  {
    name: 'max_per_day: 2 in 24h passes',
    signals: regionDown(),
    repo: { history: [record({ mergedAt: mins(120) }), record({ mergedAt: mins(300) })] },
    action: 'merge',
    rule: 'max_per_day',
    ok: true,
    seen: /2 failovers/,
  },
  {
    name: 'max_per_day: 3 in 24h blocks',
    signals: regionDown(),
    repo: {
      history: [
        record({ mergedAt: mins(120) }),
        record({ mergedAt: mins(300) }),
        record({ mergedAt: mins(600) }),
      ],
    },
    action: 'none',
    rule: 'max_per_day',
    ok: false,
    seen: /3 failovers .*max 3/,
  },
  {
    name: 'max_per_day: older than 24h does not count',
    signals: regionDown(),
    repo: {
      history: [
        record({ mergedAt: mins(120) }),
        record({ mergedAt: mins(300) }),
        record({ mergedAt: mins(60 * 25) }),
      ],
    },
    action: 'merge',
    rule: 'max_per_day',
    ok: true,
  },
  // open_pr
  { name: 'open_pr: none passes', signals: regionDown(), action: 'merge', rule: 'open_pr', ok: true },
  {
    name: 'open_pr: same target updates the PR',
    signals: regionDown(),
    repo: { openPrs: [openPr()] },
    action: 'update-pr',
    rule: 'open_pr',
    ok: true,
  },
  {
    name: 'open_pr: another target comments, never a second PR',
    signals: regionDown(),
    repo: {
      openPrs: [openPr({}, { changes: [{ service: 'checkout', from: 'us-east-1', to: 'eu-west-1' }] })],
    },
    action: 'comment',
    rule: 'open_pr',
    ok: false,
    seen: /moves to eu-west-1/,
  },
  // target_alerting
  {
    name: 'target_alerting: healthy target passes',
    signals: regionDown(),
    action: 'merge',
    rule: 'target_alerting',
    ok: true,
  },
  {
    name: 'target_alerting: alerting next target is skipped',
    signals: [...regionDown('us-east-1'), ...regionDown('us-west-2')],
    action: 'merge',
    rule: 'target_alerting',
    ok: true,
    to: 'eu-west-1',
  },
  {
    // Issue 7: the refusal names every target and why, in one sentence (the target rule is the headline).
    name: 'target: every other target alerting blocks, naming each target',
    signals: [...regionDown('us-east-1'), ...regionDown('us-west-2'), ...regionDown('eu-west-1', {}, ['a'])],
    action: 'none',
    rule: 'target',
    ok: false,
    seen: /^double failure: us-east-1 down \(2 alerts\), us-west-2 down \(2 alerts\), eu-west-1 down \(1 alert\)$/,
  },
  {
    name: 'target_alerting: every other target alerting is traced too',
    signals: [...regionDown('us-east-1'), ...regionDown('us-west-2'), ...regionDown('eu-west-1', {}, ['a'])],
    action: 'none',
    rule: 'target_alerting',
    ok: false,
    seen: /us-west-2 has 2 firing alerts; eu-west-1 has 1 firing alert/,
  },
  // safety
  {
    name: 'safety: valid edit passes',
    signals: regionDown(),
    action: 'merge',
    rule: 'safety',
    ok: true,
    seen: /invariants hold/,
  },
  {
    name: 'safety: unknown current value blocks',
    signals: regionDown(),
    repo: { files: { [TFVARS]: tfvars('ap-south-1') } },
    action: 'none',
    rule: 'safety',
    ok: false,
    seen: /not one of the targets/,
  },
  {
    name: 'safety: missing state file blocks',
    signals: regionDown(),
    repo: { files: {} },
    action: 'none',
    rule: 'safety',
    ok: false,
    seen: /does not exist/,
  },
  {
    name: 'safety: unparseable state file blocks',
    signals: regionDown(),
    repo: { files: { [TFVARS]: '{ "checkout_active_region": ' } },
    action: 'none',
    rule: 'safety',
    ok: false,
  },
];

describe('decide: every rule passing and blocking', () => {
  it.each(cases)('$name', (c) => {
    const decisions = decide({ signals: c.signals, config: config(c.mutate), repo: repo(c.repo), now: NOW });
    expect(decisions).toHaveLength(1);
    const d = decisions[0] as Decision;
    expect(d.service).toBe('checkout');
    expect(d.action).toBe(c.action);
    const r = d.trace.find((t) => t.rule === c.rule);
    expect(r, `rule ${c.rule} in trace`).toBeDefined();
    expect(r?.ok).toBe(c.ok);
    if (c.seen) expect(r?.seen).toMatch(c.seen);
    if (c.to) expect(d.to).toBe(c.to);
    if (!c.ok) expect(d.reasons).toContainEqual(expect.stringMatching(new RegExp(`^${c.rule}:`)));
    if (d.action === 'merge' || d.action === 'open-pr' || d.action === 'update-pr') {
      expect(d.edits).toHaveLength(1);
      expect(d.edits[0]?.newText).toContain(`"checkout_active_region": "${d.to}"`);
      expect(d.trace.every((t) => t.ok)).toBe(true);
    }
  });
});

describe('decide: routing', () => {
  it('passes: the route rule names what matched', () => {
    const [d] = decide({ signals: regionDown(), config: config(), repo: repo(), now: NOW });
    expect(d?.trace[0]).toMatchObject({ rule: 'route', ok: true });
    expect(d?.trace[0]?.seen).toMatch(
      /2 of 2 signals match \[alertname="RegionDown", service=~"checkout\|all"\]/,
    );
  });
  it('blocks: signals no route matches concern no service', () => {
    const s = signal({
      alertname: 'DiskFull',
      service: 'checkout',
      region: 'us-east-1',
      severity: 'critical',
    });
    expect(decide({ signals: [s], config: config(), repo: repo(), now: NOW })).toEqual([]);
  });
  it('blocks: the anchored regex does not match a longer service name', () => {
    const s = regionDown().map((x) => ({ ...x, labels: { ...x.labels, service: 'checkout-v2' } }));
    expect(decide({ signals: s, config: config(), repo: repo(), now: NOW })).toEqual([]);
  });
  it('one notification can concern several services, one decision each', () => {
    const signals = [
      ...regionDown(),
      signal({ alertname: 'EdgeDown', region: 'us-east-1', severity: 'critical' }),
    ];
    const ds = decide({ signals, config: config(), repo: repo(), now: NOW });
    expect(ds.map((d) => d.service)).toEqual(['checkout', 'web']);
  });
  it('every blocking decision still lists every rule', () => {
    const [d] = decide({ signals: regionDown(), config: config(), repo: repo({ frozen: true }), now: NOW });
    // Issue 7 adds the world view's rules: the source of record, clock skew, the destination's health.
    expect(d?.trace.map((t) => t.rule)).toEqual([
      'route',
      'alert_source',
      'target',
      'clock',
      'severity',
      'stabilize',
      'quorum',
      'freeze',
      'automation',
      'cooldown',
      'max_per_day',
      'target_alerting',
      'target_health',
      'safety',
      'open_pr',
    ]);
    expect(d?.edits).toHaveLength(1);
  });
  it('update-pr carries the PR number', () => {
    const [d] = decide({
      signals: regionDown(),
      config: config(),
      repo: repo({ openPrs: [openPr()] }),
      now: NOW,
    });
    expect(d?.pr).toBe(12);
  });
  it('a conflicting PR gets a comment with the PR number and the text', () => {
    const pr = openPr({}, { changes: [{ service: 'checkout', from: 'us-east-1', to: 'eu-west-1' }] });
    const [d] = decide({ signals: regionDown(), config: config(), repo: repo({ openPrs: [pr] }), now: NOW });
    expect(d?.pr).toBe(12);
    expect(d?.comment).toMatch(/No second PR/);
  });
});

describe('decide: PRs that belong to people', () => {
  it('a same-target PR a person pushed to is left alone', () => {
    const [d] = decide({
      signals: regionDown(),
      config: config(),
      repo: repo({ openPrs: [openPr({ humanEdited: true })] }),
      now: NOW,
    });
    expect(d).toMatchObject({ action: 'none', pr: 12 });
    expect(d?.reasons[0]).toMatch(/a person pushed/);
  });
  it('a same-target PR opened by a command is not taken over by the alert path', () => {
    const pr = openPr(
      {},
      { kind: 'manual', trigger: { type: 'command', by: 'alice', command: '/failover checkout us-west-2' } },
    );
    const [d] = decide({ signals: regionDown(), config: config(), repo: repo({ openPrs: [pr] }), now: NOW });
    expect(d).toMatchObject({ action: 'none', pr: 12 });
    expect(d?.reasons[0]).toMatch(/manual command/);
  });
});

describe('decide: unknown state value without a target label', () => {
  it('blocks with the safety reason', () => {
    const cfg = config((raw) => {
      svc(raw, 'checkout').alerts = [{ matchers: ['alertname="RegionDown"'] }];
    });
    const [d] = decide({
      signals: regionDown(),
      config: cfg,
      repo: repo({ files: { [TFVARS]: tfvars('mars-1') } }),
      now: NOW,
    });
    expect(d?.action).toBe('none');
    expect(d?.reasons.some((r) => /^safety: checkout: current value "mars-1"/.test(r))).toBe(true);
  });
  it('without a target label the active target is the failing one', () => {
    const cfg = config((raw) => {
      svc(raw, 'checkout').alerts = [{ matchers: ['alertname="RegionDown"'] }];
    });
    const [d] = decide({ signals: regionDown('whatever'), config: cfg, repo: repo(), now: NOW });
    expect(d).toMatchObject({ action: 'merge', from: 'us-east-1', to: 'us-west-2' });
    expect(d?.trace.find((t) => t.rule === 'target')?.seen).toMatch(
      /the target active when the alert started/,
    );
  });
});
