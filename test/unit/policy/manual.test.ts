import { describe, expect, it } from 'vitest';
import { checkAccess, decideCommand } from '../../../src/core/policy/index.js';
import type { Actor, ChatCommand, RepoView } from '../../../src/core/types.js';
import { config, NOW, openPr, record, regionDown, repo, TFVARS, tfvars, WEB_YAML, webYaml } from './world.js';

const alice: Actor = { login: 'alice', permission: 'write' };
const run = (
  command: ChatCommand,
  over: {
    actor?: Actor;
    repo?: Partial<RepoView>;
    firing?: ReturnType<typeof regionDown>;
    cfg?: ReturnType<typeof config>;
  } = {},
) =>
  decideCommand({
    command,
    actor: over.actor ?? alice,
    config: over.cfg ?? config(),
    repo: repo(over.repo),
    now: NOW,
    ...(over.firing ? { firing: over.firing } : {}),
  });

describe('checkAccess', () => {
  const teamsCfg = config((raw) => {
    raw.chatops = { min_permission: 'maintain', teams: ['sre'] };
  });
  it.each([
    ['write passes write', alice, config(), true, /write permission/],
    ['admin passes write', { login: 'root', permission: 'admin' }, config(), true, /admin/],
    [
      'triage is refused',
      { login: 'bob', permission: 'triage' },
      config(),
      false,
      /triage permission \(need write\)/,
    ],
    ['read is refused', { login: 'bob', permission: 'read' }, config(), false, /need write/],
    [
      'bots are refused',
      { login: 'dependabot[bot]', permission: 'admin', isBot: true },
      config(),
      false,
      /bot/,
    ],
    [
      'maintain in team sre passes',
      { login: 'carol', permission: 'maintain', teams: ['sre'] },
      teamsCfg,
      true,
      /team sre/,
    ],
    [
      'maintain outside the teams is refused',
      { login: 'carol', permission: 'maintain', teams: ['web'] },
      teamsCfg,
      false,
      /not in any of the teams sre/,
    ],
    [
      'write with the team but below maintain is refused',
      { login: 'dan', permission: 'write', teams: ['sre'] },
      teamsCfg,
      false,
      /need maintain/,
    ],
  ] as const)('%s', (_name, actor, cfg, ok, seen) => {
    const r = checkAccess(actor as Actor, cfg);
    expect(r.rule).toBe('permission');
    expect(r.ok).toBe(ok);
    expect(r.seen).toMatch(seen);
  });
});

describe('decideCommand', () => {
  it('/failover checkout us-west-2 merges a manual failover', () => {
    const d = run({ verb: 'failover', service: 'checkout', target: 'us-west-2' });
    expect(d).toMatchObject({
      service: 'checkout',
      action: 'merge',
      kind: 'manual',
      from: 'us-east-1',
      to: 'us-west-2',
    });
    expect(d.edits[0]?.newText).toBe(tfvars('us-west-2'));
    expect(d.reasons[0]).toMatch(/by @alice/);
  });
  it('refuses without permission, before anything else', () => {
    const d = run(
      { verb: 'failover', service: 'checkout', target: 'us-west-2' },
      { actor: { login: 'bob', permission: 'read' } },
    );
    expect(d).toMatchObject({ action: 'none', edits: [] });
    expect(d.trace).toHaveLength(1);
    expect(d.reasons[0]).toMatch(/^permission:/);
  });
  it('already active → none, "already active"', () => {
    const d = run({ verb: 'failover', service: 'checkout', target: 'us-east-1' });
    expect(d.action).toBe('none');
    expect(d.reasons[0]).toMatch(/already active/);
  });
  it('an unknown target is refused and cannot be forced', () => {
    const d = run({
      verb: 'failover',
      service: 'checkout',
      target: 'mars-1',
      force: 'safety',
      reason: 'yolo',
    });
    expect(d.action).toBe('none');
    expect(d.reasons[0]).toMatch(/not a target of checkout/);
  });
  it('an unknown service is refused with the known names', () => {
    const d = run({ verb: 'failover', service: 'chekout', target: 'us-west-2' });
    expect(d.reasons[0]).toMatch(/unknown service "chekout".*checkout/);
  });
  it('anti-flap rules are skipped for manual commands (traced)', () => {
    const d = run(
      { verb: 'failover', service: 'checkout', target: 'us-west-2' },
      { repo: { history: [record({ mergedAt: '2026-03-01T11:59:00.000Z' }), record(), record()] } },
    );
    expect(d.action).toBe('merge');
    expect(d.trace.find((t) => t.rule === 'cooldown')).toMatchObject({
      ok: true,
      seen: expect.stringMatching(/skipped for manual/),
    });
    expect(d.trace.find((t) => t.rule === 'max_per_day')).toMatchObject({
      ok: true,
      seen: expect.stringMatching(/skipped/),
    });
  });
  it('the freeze does not stop a manual command', () => {
    const d = run({ verb: 'failover', service: 'checkout', target: 'us-west-2' }, { repo: { frozen: true } });
    expect(d.action).toBe('merge');
    expect(d.trace.find((t) => t.rule === 'freeze')?.seen).toMatch(/manual commands still allowed/);
  });
  it('a target that is alerting blocks…', () => {
    const d = run(
      { verb: 'failover', service: 'checkout', target: 'us-west-2' },
      { firing: regionDown('us-west-2') },
    );
    expect(d.action).toBe('none');
    expect(d.reasons[0]).toMatch(/^target_alerting: us-west-2 has 2 firing alerts/);
  });
  it('…unless forced by name with a reason, recorded in the trace', () => {
    const d = run(
      {
        verb: 'failover',
        service: 'checkout',
        target: 'us-west-2',
        force: 'target_alerting',
        reason: 'probe is broken',
      },
      { firing: regionDown('us-west-2') },
    );
    expect(d.action).toBe('merge');
    const r = d.trace.find((t) => t.rule === 'target_alerting');
    expect(r).toMatchObject({ ok: false, forced: { reason: 'probe is broken' } });
    expect(d.reasons[0]).toMatch(/forced target_alerting: probe is broken/);
  });
  it('forcing another rule does not override target_alerting', () => {
    const d = run(
      { verb: 'failover', service: 'checkout', target: 'us-west-2', force: 'cooldown', reason: 'x' },
      { firing: regionDown('us-west-2') },
    );
    expect(d.action).toBe('none');
    expect(d.reasons).toContain('--force cooldown: the rule passed, nothing was overridden');
  });
  it('--force without --reason is refused', () => {
    const d = run(
      { verb: 'failover', service: 'checkout', target: 'us-west-2', force: 'target_alerting' },
      { firing: regionDown('us-west-2') },
    );
    expect(d.action).toBe('none');
    expect(d.reasons[0]).toMatch(/needs --reason/);
  });
  it('an unknown current value blocks (safety) and can be forced, with the edit', () => {
    const files = { [TFVARS]: tfvars('ap-south-1') };
    const blocked = run({ verb: 'failover', service: 'checkout', target: 'us-west-2' }, { repo: { files } });
    expect(blocked.action).toBe('none');
    expect(blocked.reasons[0]).toMatch(/^safety: .*not one of the targets/);
    const forced = run(
      {
        verb: 'failover',
        service: 'checkout',
        target: 'us-west-2',
        force: 'safety',
        reason: 'state drifted',
      },
      { repo: { files } },
    );
    expect(forced.action).toBe('merge');
    expect(forced.edits[0]?.newText).toBe(tfvars('us-west-2'));
  });
  it('a missing state file cannot be forced: nothing to ship', () => {
    const d = run(
      { verb: 'failover', service: 'checkout', target: 'us-west-2', force: 'safety', reason: 'x' },
      { repo: { files: {} } },
    );
    expect(d.action).toBe('none');
    expect(d.edits).toEqual([]);
  });
  it('an open PR to the same target is updated; to another target blocks', () => {
    const same = run(
      { verb: 'failover', service: 'checkout', target: 'us-west-2' },
      { repo: { openPrs: [openPr()] } },
    );
    expect(same).toMatchObject({ action: 'update-pr', pr: 12 });
    const other = run(
      { verb: 'failover', service: 'checkout', target: 'eu-west-1' },
      { repo: { openPrs: [openPr()] } },
    );
    expect(other.action).toBe('none');
    expect(other.reasons[0]).toMatch(/^open_pr: PR #12/);
  });
  it('/failback goes back to the first target', () => {
    const d = run(
      { verb: 'failback', service: 'checkout' },
      { repo: { files: { [TFVARS]: tfvars('eu-west-1') } } },
    );
    expect(d).toMatchObject({ action: 'merge', kind: 'failback', from: 'eu-west-1', to: 'us-east-1' });
  });
  it('/failback on the primary is already active', () => {
    expect(run({ verb: 'failback', service: 'checkout' }).reasons[0]).toMatch(/already active/);
  });
  it('/failback restores the baseline weights', () => {
    const d = run(
      { verb: 'failback', service: 'web' },
      { repo: { files: { [WEB_YAML]: webYaml(0, 60, 40) } } },
    );
    expect(d.action).toBe('merge');
    expect(d.edits[0]?.newText).toBe(webYaml(50, 30, 20));
    expect(d).toMatchObject({ from: 'us-west-2, eu-west-1', to: 'us-east-1' });
  });
  it('/failover on a weighted service sends all traffic to the target', () => {
    const d = run({ verb: 'failover', service: 'web', target: 'us-west-2' });
    expect(d.edits[0]?.newText).toBe(webYaml(0, 100, 0));
  });
  it('a drill is a drill', () => {
    const d = run({ verb: 'drill', service: 'checkout', target: 'eu-west-1' });
    expect(d).toMatchObject({ action: 'merge', kind: 'drill', to: 'eu-west-1' });
  });
  it('a group member flips the whole group', () => {
    const d = run({ verb: 'failover', service: 'payments-api', target: 'us-west-2' });
    expect(d).toMatchObject({
      service: 'group-payments',
      services: ['payments-db', 'payments-api'],
      action: 'merge',
    });
    expect(d.edits).toHaveLength(2);
    expect(d.edits[1]?.newText).toBe(tfvars('us-east-1', 'us-west-2', 'us-west-2'));
  });
  it('without a service name: the only service, or the PR being commented', () => {
    const one = config((raw) => {
      raw.services = { checkout: (raw.services as Record<string, unknown>).checkout };
      raw.groups = {};
    });
    expect(run({ verb: 'failover', target: 'us-west-2' }, { cfg: one }).service).toBe('checkout');
    const d = decideCommand({
      command: { verb: 'failover', target: 'us-west-2' },
      actor: alice,
      config: config(),
      repo: repo({ openPrs: [openPr()] }),
      now: NOW,
      prNumber: 12,
    });
    expect(d.service).toBe('checkout');
    expect(run({ verb: 'failover', target: 'us-west-2' }).reasons[0]).toMatch(/name the service/);
  });
  it('/failover cancel closes the pending PR it is commented on', () => {
    const d = decideCommand({
      command: { verb: 'cancel' },
      actor: alice,
      config: config(),
      repo: repo({ openPrs: [openPr()] }),
      now: NOW,
      prNumber: 12,
    });
    expect(d).toMatchObject({ action: 'close-pr', pr: 12, service: 'checkout' });
    expect(run({ verb: 'cancel' }).action).toBe('none');
  });
  it('/failover status answers with the table', () => {
    const d = run(
      { verb: 'status' },
      { repo: { history: [record({ mergedAt: '2026-03-01T11:30:00.000Z' })] } },
    );
    expect(d.action).toBe('comment');
    expect(d.comment).toMatch(
      /\| checkout \| us-east-1 \| - \| auto us-west-2 → us-east-1, 30m ago \(#7\) \| 30m \|/,
    );
  });
  it('/failover help answers with the commands', () => {
    expect(run({ verb: 'help' }).comment).toMatch(/\/failback <service>/);
  });
});
