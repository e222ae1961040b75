// Which refusals the bot may remember: those waiting cannot change.
import { describe, expect, it } from 'vitest';
import { mayChangeSoon } from '../../../src/core/policy/index.js';
import type { Decision, RuleName } from '../../../src/core/types.js';

function refused(rule: RuleName, more: Partial<Decision> = {}): Decision {
  return {
    service: 'checkout',
    services: ['checkout'],
    action: 'none',
    kind: 'auto',
    reasons: [`${rule} failed`],
    trace: [
      { rule: 'severity', ok: true, seen: 'critical' },
      { rule, ok: false, seen: 'no' },
    ],
    edits: [],
    signals: [],
    ...more,
  };
}

describe('mayChangeSoon', () => {
  it.each<RuleName>([
    'stabilize',
    'clock',
    'cooldown',
    'max_per_day',
    'quorum',
    'target_health',
    'target_alerting',
    'alert_source',
  ])('a refusal on %s may lift by itself', (rule) => {
    expect(mayChangeSoon(refused(rule))).toBe(true);
  });

  it.each<RuleName>(['severity', 'freeze', 'open_pr', 'permission', 'automation', 'safety'])(
    'a refusal on %s does not change by waiting',
    (rule) => {
      expect(mayChangeSoon(refused(rule))).toBe(false);
    },
  );

  it('"no healthy target" after a failing one was found may lift; "not the active target" does not', () => {
    expect(mayChangeSoon(refused('target', { from: 'us-east-1' }))).toBe(true);
    expect(mayChangeSoon(refused('target'))).toBe(false);
  });

  it('a decision that acted is final, whatever its trace says', () => {
    expect(mayChangeSoon({ ...refused('stabilize'), action: 'open-pr' })).toBe(false);
  });
});
