import { describe, expect, it } from 'vitest';
import { decide } from '../../../src/core/policy/index.js';
import { config, NOW, openPr, record, regionDown, repo, signal, svc, TFVARS, tfvars } from './world.js';

const dbDown = (status: 'firing' | 'resolved' = 'firing') =>
  signal({ alertname: 'PaymentsDbDown', severity: 'critical' }, { status });

describe('decide: groups flip together', () => {
  it('an alert for one member flips every member in one decision, in group order', () => {
    const ds = decide({ signals: [dbDown()], config: config(), repo: repo(), now: NOW });
    expect(ds).toHaveLength(1);
    const d = ds[0];
    expect(d).toMatchObject({
      service: 'group-payments',
      services: ['payments-db', 'payments-api'],
      action: 'open-pr', // the strictest on_alert of the members (db: pr, api: merge)
      from: 'us-east-1',
      to: 'us-west-2',
    });
    expect(d?.edits).toHaveLength(2);
    // both flags live in one file: the second edit starts from the first one's result
    expect(d?.edits[1]?.oldText).toBe(d?.edits[0]?.newText);
    expect(d?.edits[1]?.newText).toBe(tfvars('us-east-1', 'us-west-2', 'us-west-2'));
    expect(d?.edits[0]?.diff).toContain('+  "payments_db_region": "us-west-2"');
    expect(d?.edits[1]?.diff).toContain('+  "payments_api_region": "us-west-2"');
    expect(d?.trace.find((t) => t.rule === 'group')).toMatchObject({ ok: true });
  });
  it('alerts for two members still make one decision', () => {
    const api = signal({ alertname: 'PaymentsApiDown', region: 'us-east-1', severity: 'critical' });
    const ds = decide({ signals: [api, dbDown()], config: config(), repo: repo(), now: NOW });
    expect(ds.map((d) => d.service)).toEqual(['group-payments']);
    expect(ds[0]?.signals).toHaveLength(2);
  });
  it('a member already on the new target is a no-op, not a conflict', () => {
    const r = repo({ files: { [TFVARS]: tfvars('us-east-1', 'us-east-1', 'us-west-2') } });
    const [d] = decide({ signals: [dbDown()], config: config(), repo: r, now: NOW });
    expect(d?.action).toBe('open-pr');
    expect(d?.edits).toHaveLength(1);
  });
  it('blocks a member that is elsewhere', () => {
    const cfg = config((raw) => {
      // group members share their targets (schema rule)
      svc(raw, 'payments-api').targets = ['us-east-1', 'us-west-2', 'eu-west-1'];
      svc(raw, 'payments-db').targets = ['us-east-1', 'us-west-2', 'eu-west-1'];
    });
    const r = repo({ files: { [TFVARS]: tfvars('us-east-1', 'us-east-1', 'eu-west-1') } });
    const [d] = decide({ signals: [dbDown()], config: cfg, repo: r, now: NOW });
    expect(d?.action).toBe('none');
    expect(d?.trace.find((t) => t.rule === 'group')).toMatchObject({
      ok: false,
      seen: expect.stringMatching(/payments-api is on eu-west-1/),
    });
  });
  it('cooldown counts any member history', () => {
    const r = repo({
      history: [record({ services: ['payments-api'], mergedAt: '2026-03-01T11:55:00.000Z' })],
    });
    const [d] = decide({ signals: [dbDown()], config: config(), repo: r, now: NOW });
    expect(d?.action).toBe('none');
    expect(d?.reasons[0]).toMatch(/^cooldown:/);
  });
});

describe('decide: resolved alerts', () => {
  const resolved = regionDown('us-east-1', { status: 'resolved' });

  it('closes an unmerged automatic PR whose alerts resolved (cancel_on_resolve)', () => {
    const pr = openPr({}, { fingerprints: resolved.map((s) => s.fingerprint) });
    const [d] = decide({ signals: resolved, config: config(), repo: repo({ openPrs: [pr] }), now: NOW });
    expect(d).toMatchObject({ action: 'close-pr', pr: 12 });
    expect(d?.reasons[0]).toMatch(/resolved before PR #12 merged/);
    expect(d?.comment).toMatch(/closed/);
  });
  it('keeps the PR when cancel_on_resolve is off', () => {
    const cfg = config((raw) => {
      svc(raw, 'checkout').automation.cancel_on_resolve = false;
    });
    const [d] = decide({ signals: resolved, config: cfg, repo: repo({ openPrs: [openPr()] }), now: NOW });
    expect(d).toMatchObject({ action: 'none', pr: 12 });
    expect(d?.reasons[0]).toMatch(/cancel_on_resolve is off/);
  });
  it('never closes a PR a person asked for', () => {
    const pr = openPr(
      {},
      { kind: 'manual', trigger: { type: 'command', by: 'alice', command: '/failover checkout us-west-2' } },
    );
    const [d] = decide({ signals: resolved, config: config(), repo: repo({ openPrs: [pr] }), now: NOW });
    expect(d?.action).toBe('none');
  });
  it('old primary recovered after an automatic failover: a comment with how to fail back, no failback', () => {
    const r = repo({
      files: { [TFVARS]: tfvars('us-west-2') },
      history: [record({ from: 'us-east-1', to: 'us-west-2', pr: 9 })],
    });
    const [d] = decide({ signals: resolved, config: config(), repo: r, now: NOW });
    expect(d).toMatchObject({ action: 'comment', pr: 9, edits: [] });
    expect(d?.comment).toContain('`/failback checkout`');
    expect(d?.comment).toMatch(/No automatic failback/);
  });
  it('a recovered database says it is never failed back automatically', () => {
    const r = repo({
      history: [record({ services: ['payments-db', 'payments-api'], from: 'us-east-1', to: 'us-west-2' })],
    });
    const [d] = decide({ signals: [dbDown('resolved')], config: config(), repo: r, now: NOW });
    expect(d?.action).toBe('comment');
    expect(d?.comment).toMatch(/database.*never failed back automatically/);
    expect(d?.comment).toContain('/failback group-payments');
    expect(d?.edits).toEqual([]);
  });
  it('a manual failover is not followed by a failback hint', () => {
    const r = repo({ history: [record({ from: 'us-east-1', to: 'us-west-2', kind: 'manual' })] });
    const [d] = decide({ signals: resolved, config: config(), repo: r, now: NOW });
    expect(d).toMatchObject({ action: 'none', reasons: ['alerts resolved; nothing to do'] });
  });
  it('a resolved alert for another target than the old primary is not a hint', () => {
    const r = repo({ history: [record({ from: 'eu-west-1', to: 'us-east-1' })] });
    const [d] = decide({ signals: resolved, config: config(), repo: r, now: NOW });
    expect(d?.action).toBe('none');
  });
});
