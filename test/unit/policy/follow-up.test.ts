// The results loop's pure decisions: rolling back a failed verification, and a drill's failback leg.
import { describe, expect, it } from 'vitest';
import {
  decideDrillFailback,
  decideRollback,
  type VerifyRecord,
} from '../../../src/core/policy/follow-up.js';
import { config, marker, NOW, openPr, repo, svc, TFVARS, tfvars } from './world.js';

const failed = (over: Partial<VerifyRecord> = {}): VerifyRecord => ({
  services: ['checkout'],
  changes: [{ service: 'checkout', from: 'us-east-1', to: 'us-west-2' }],
  applied: true,
  verified: false,
  failure: 'verification failed for checkout on us-west-2',
  ...over,
});
const reversible = config((raw) => {
  svc(raw, 'checkout').automation.rollback_on_failed_verify = true;
  svc(raw, 'payments-api').automation.rollback_on_failed_verify = true;
});
const afterFlip = repo({ files: { [TFVARS]: tfvars('us-west-2') } });

describe('decideRollback', () => {
  it('goes back to the `from` value of a reversible service, as a rollback', () => {
    const d = decideRollback({
      record: failed(),
      marker: marker(),
      prNumber: 21,
      config: reversible,
      repo: afterFlip,
      now: NOW,
    });
    expect(d.action).toBe('merge');
    expect(d.kind).toBe('rollback');
    expect(d.from).toBe('us-west-2');
    expect(d.to).toBe('us-east-1');
    expect(d.reasons[0]).toBe(
      'rollback of #21: verification failed (verification failed for checkout on us-west-2)',
    );
    expect(d.edits).toHaveLength(1);
    expect(d.edits[0]?.newText).toContain('"checkout_active_region": "us-east-1"');
  });

  it('is refused when the service has rollback_on_failed_verify off (the default)', () => {
    const d = decideRollback({
      record: failed(),
      marker: marker(),
      prNumber: 21,
      config: config(),
      repo: afterFlip,
      now: NOW,
    });
    expect(d.action).toBe('none');
    expect(d.reasons[0]).toBe('checkout has automation.rollback_on_failed_verify off');
  });

  it('never rolls back a database, even inside a group with a reversible member', () => {
    const record = failed({
      services: ['payments-db', 'payments-api'],
      changes: [
        { service: 'payments-db', from: 'us-east-1', to: 'us-west-2' },
        { service: 'payments-api', from: 'us-east-1', to: 'us-west-2' },
      ],
    });
    const d = decideRollback({
      record,
      marker: marker({ services: ['payments-db', 'payments-api'] }),
      prNumber: 5,
      config: reversible,
      repo: repo(),
      now: NOW,
    });
    expect(d.action).toBe('none');
    expect(d.reasons[0]).toMatch(/^payments-db is a database: never rolled back automatically/);
  });

  it('does not roll back a rollback, nor a verified change, nor a weighted service', () => {
    const base = { prNumber: 9, config: reversible, repo: afterFlip, now: NOW };
    expect(
      decideRollback({ ...base, record: failed(), marker: marker({ kind: 'rollback' }) }).reasons[0],
    ).toBe('PR #9 is itself a rollback: not rolling back again');
    expect(decideRollback({ ...base, record: failed({ verified: true }), marker: marker() }).action).toBe(
      'none',
    );
    // The schema refuses this combination (validate says so); the policy still refuses it for a config
    // that reached it another way.
    const weighted = structuredClone(config());
    weighted.services.web!.automation.rollback_on_failed_verify = true;
    const w = decideRollback({
      ...base,
      config: weighted,
      record: failed({
        services: ['web'],
        changes: [{ service: 'web', from: 'us-east-1', to: 'us-west-2' }],
      }),
      marker: marker({ services: ['web'] }),
    });
    expect(w.action).toBe('none');
    expect(w.reasons[0]).toMatch(/web is weighted/);
  });

  it('points at the open PR instead of opening a second one', () => {
    const withPr = repo({
      files: { [TFVARS]: tfvars('us-west-2') },
      openPrs: [
        openPr({ number: 30 }, { changes: [{ service: 'checkout', from: 'us-west-2', to: 'us-east-1' }] }),
      ],
    });
    const d = decideRollback({
      record: failed(),
      marker: marker(),
      prNumber: 21,
      config: reversible,
      repo: withPr,
      now: NOW,
    });
    expect(d.action).toBe('update-pr');
    expect(d.pr).toBe(30);
  });
});

describe('decideDrillFailback', () => {
  const drillLeg = marker({
    kind: 'drill',
    drill: { leg: 'failover' },
    trigger: { type: 'command', by: 'alice', command: '/failover drill checkout us-west-2' },
  });

  it('fails back to the primary as a drill leg, to be merged', () => {
    const { decision, merge } = decideDrillFailback({
      marker: drillLeg,
      prNumber: 40,
      config: config(),
      repo: afterFlip,
      now: NOW,
    });
    expect(decision.action).toBe('merge');
    expect(decision.kind).toBe('drill');
    expect(decision.to).toBe('us-east-1');
    expect(decision.reasons[0]).toBe('drill failback after #40 verified');
    expect(merge).toBe(true);
  });

  it('opens but never merges the failback of a database', () => {
    const dbDrill = marker({
      ...drillLeg,
      services: ['payments-db'],
      changes: [{ service: 'payments-db', from: 'us-east-1', to: 'us-west-2' }],
    });
    const { merge } = decideDrillFailback({
      marker: dbDrill,
      prNumber: 41,
      config: config(),
      repo: repo({ files: { [TFVARS]: tfvars('us-east-1', 'us-west-2', 'us-west-2') } }),
      now: NOW,
    });
    expect(merge).toBe(false);
  });

  it('does nothing for a PR that is not a drill failover leg', () => {
    for (const m of [marker(), marker({ kind: 'drill', drill: { leg: 'failback', originPr: 1 } })]) {
      const { decision, merge } = decideDrillFailback({
        marker: m,
        prNumber: 3,
        config: config(),
        repo: afterFlip,
        now: NOW,
      });
      expect(decision.action).toBe('none');
      expect(merge).toBe(false);
    }
  });
});
