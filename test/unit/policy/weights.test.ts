import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide } from '../../../src/core/policy/index.js';
import {
  baselineWeights,
  distribute,
  drain,
  restore,
  sum,
  weightProblems,
} from '../../../src/core/policy/weights.js';
import { config, NOW, repo, signal, WEB_YAML, webYaml } from './world.js';

const targets = ['a', 'b', 'c', 'd'];

describe('weights arithmetic', () => {
  it('distributes proportionally with a deterministic remainder', () => {
    expect(
      distribute(50, [
        { key: 'b', weight: 30 },
        { key: 'c', weight: 20 },
      ]),
    ).toEqual({ b: 30, c: 20 });
    expect(
      distribute(10, [
        { key: 'b', weight: 1 },
        { key: 'c', weight: 1 },
        { key: 'd', weight: 1 },
      ]),
    ).toEqual({ b: 4, c: 3, d: 3 });
    expect(
      distribute(7, [
        { key: 'b', weight: 0 },
        { key: 'c', weight: 0 },
      ]),
    ).toEqual({ b: 4, c: 3 });
  });
  it('baseline: configured weights, else an even split of 100', () => {
    expect(baselineWeights({ targets: ['x', 'y'], weights: { x: 70, y: 30 } })).toEqual({ x: 70, y: 30 });
    expect(baselineWeights({ targets: ['x', 'y', 'z'] })).toEqual({ x: 34, y: 33, z: 33 });
  });
  it('drain with receivers at 0 uses the baseline proportions', () => {
    expect(drain({ a: 100, b: 0, c: 0 }, 'a', ['b', 'c'], { a: 50, b: 30, c: 20 })).toEqual({
      a: 0,
      b: 60,
      c: 40,
    });
  });
  it('restore goes back to the baseline keeping key order', () => {
    expect(Object.keys(restore({ c: 0, a: 100, b: 0 }, { a: 50, b: 25, c: 25 }))).toEqual(['c', 'a', 'b']);
  });
  it('names every broken invariant', () => {
    const svc = { targets: ['a', 'b'], weights: { a: 50, b: 50 } };
    expect(weightProblems(svc, { a: 0, b: 0 })).toEqual([
      'no target above 0',
      'weights sum to 0, configured 100',
    ]);
    expect(weightProblems(svc, { a: 60, z: 40 })).toContain('unknown target "z"');
    expect(weightProblems(svc, { a: 50.5, b: 49.5 })[0]).toMatch(/whole number/);
    expect(weightProblems(svc, { a: 100, b: 0 })).toEqual([]);
  });

  it('property: draining preserves the sum, zeroes the failing target, never goes negative', () => {
    const weights = fc.tuple(...targets.map(() => fc.nat(1000)));
    fc.assert(
      fc.property(
        weights,
        fc.integer({ min: 0, max: 3 }),
        fc.subarray(targets, { minLength: 1 }),
        (ws, fi, recv) => {
          const current = Object.fromEntries(targets.map((t, i) => [t, ws[i] as number]));
          const failing = targets[fi] as string;
          const receivers = recv.filter((t) => t !== failing);
          fc.pre(receivers.length > 0);
          const next = drain(current, failing, receivers, { a: 25, b: 25, c: 25, d: 25 });
          expect(sum(next)).toBe(sum(current));
          expect(next[failing]).toBe(0);
          for (const v of Object.values(next)) {
            expect(v).toBeGreaterThanOrEqual(0);
            expect(Number.isInteger(v)).toBe(true);
          }
          // non-receivers keep exactly what they had
          for (const t of targets)
            if (t !== failing && !receivers.includes(t)) expect(next[t]).toBe(current[t]);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('property: distribute always hands out exactly the amount', () => {
    fc.assert(
      fc.property(fc.nat(100_000), fc.array(fc.nat(1000), { minLength: 1, maxLength: 8 }), (amount, ws) => {
        const parts = distribute(
          amount,
          ws.map((weight, i) => ({ key: `k${i}`, weight })),
        );
        expect(sum(parts)).toBe(amount);
        expect(Object.values(parts).every((v) => v >= 0 && Number.isInteger(v))).toBe(true);
      }),
    );
  });
});

describe('decide: weighted mode', () => {
  const edge = (region: string) => signal({ alertname: 'EdgeDown', region, severity: 'warning' });

  it('the failing target goes to 0, its share goes to the healthy ones proportionally', () => {
    const [d] = decide({ signals: [edge('us-east-1')], config: config(), repo: repo(), now: NOW });
    expect(d).toMatchObject({
      service: 'web',
      action: 'open-pr',
      from: 'us-east-1',
      to: 'us-west-2, eu-west-1',
    });
    expect(d?.edits[0]?.newText).toBe(webYaml(0, 60, 40));
    expect(d?.edits[0]?.diff).toContain('-    us-east-1: 50 # primary');
  });
  it('an alerting target receives nothing and is drained in the same decision', () => {
    const [d] = decide({
      signals: [edge('us-east-1'), edge('eu-west-1')],
      config: config(),
      repo: repo(),
      now: NOW,
    });
    // Issue 7: one decision drains every failing target. Before, eu-west-1 kept its 20 while alerting.
    expect(d?.edits[0]?.newText).toBe(webYaml(0, 100, 0));
    expect(d?.to).toBe('us-west-2');
  });
  it('a target already at 0 is not active: no reason to move', () => {
    const [d] = decide({
      signals: [edge('eu-west-1')],
      config: config(),
      repo: repo({ files: { [WEB_YAML]: webYaml(50, 50, 0) } }),
      now: NOW,
    });
    expect(d?.action).toBe('none');
    expect(d?.trace.find((t) => t.rule === 'target')?.ok).toBe(false);
  });
  it('weights that do not sum as configured block (safety)', () => {
    const [d] = decide({
      signals: [edge('us-east-1')],
      config: config(),
      repo: repo({ files: { [WEB_YAML]: webYaml(50, 30, 10) } }),
      now: NOW,
    });
    expect(d?.action).toBe('none');
    expect(d?.trace.find((t) => t.rule === 'safety')).toMatchObject({
      ok: false,
      seen: expect.stringMatching(/sum to 90, configured 100/),
    });
  });
  it('unknown target in the weights blocks (safety)', () => {
    const text = webYaml().replace('eu-west-1: 20', 'ap-south-1: 20');
    const [d] = decide({
      signals: [edge('us-east-1')],
      config: config(),
      repo: repo({ files: { [WEB_YAML]: text } }),
      now: NOW,
    });
    expect(d?.trace.find((t) => t.rule === 'safety')).toMatchObject({
      ok: false,
      seen: expect.stringMatching(/unknown target/),
    });
  });
  it('every other target alerting blocks (target_alerting)', () => {
    const [d] = decide({
      signals: [edge('us-east-1'), edge('us-west-2'), edge('eu-west-1')],
      config: config(),
      repo: repo(),
      now: NOW,
    });
    expect(d?.action).toBe('none');
    expect(d?.trace.find((t) => t.rule === 'target_alerting')?.ok).toBe(false);
  });
});
