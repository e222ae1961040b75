// Applying a condition to instant-query results, in the shapes Prometheus returns.
import { describe, expect, it } from 'vitest';
import { parseCondition } from '../../../src/verify/condition.js';
import { evaluate } from '../../../src/verify/probes/prometheus.js';

const lt5 = parseCondition('< 5');
const vector = (...series: [Record<string, string>, string][]) => ({
  resultType: 'vector',
  result: series.map(([metric, v]) => ({ metric, value: [1764126000.123, v] })),
});

describe('evaluate', () => {
  it('passes a scalar and a vector whose every series satisfies the condition', () => {
    expect(evaluate({ resultType: 'scalar', result: [1764126000, '1.5'] }, lt5)).toEqual({
      ok: true,
      observed: '1.5',
    });
    expect(evaluate(vector([{ region: 'a' }, '1'], [{ region: 'b' }, '4.99']), lt5)).toEqual({
      ok: true,
      observed: '{region="a"} 1, {region="b"} 4.99',
    });
  });

  it('fails when any series does not satisfy it, naming that series', () => {
    const out = evaluate(vector([{ region: 'a' }, '1'], [{ region: 'b' }, '6']), lt5);
    expect(out.ok).toBe(false);
    expect(out.error).toBe('1 of 2 series: {region="b"} 6 does not satisfy < 5');
  });

  it('is inconclusive for an empty vector', () => {
    expect(evaluate(vector(), lt5)).toMatchObject({ ok: null, observed: 'empty result' });
  });

  it('is inconclusive for NaN, but a definite failure elsewhere wins', () => {
    expect(evaluate(vector([{}, 'NaN']), lt5)).toMatchObject({ ok: null, observed: 'NaN' });
    expect(evaluate({ resultType: 'scalar', result: [0, 'NaN'] }, parseCondition('!= 0')).ok).toBeNull();
    expect(evaluate(vector([{ r: 'a' }, 'NaN'], [{ r: 'b' }, '9']), lt5).ok).toBe(false);
    expect(evaluate(vector([{ r: 'a' }, 'NaN'], [{ r: 'b' }, '1']), lt5).ok).toBeNull();
  });

  it('reads +Inf and -Inf', () => {
    expect(evaluate(vector([{}, '+Inf']), lt5).ok).toBe(false);
    expect(evaluate(vector([{}, '-Inf']), lt5).ok).toBe(true);
  });

  it('refuses range vectors and strings, and lists at most three series', () => {
    expect(evaluate({ resultType: 'matrix', result: [] }, lt5)).toMatchObject({ ok: false });
    expect(evaluate({ resultType: 'string', result: [0, 'x'] }, lt5).error).toMatch(
      /unsupported result type "string"/,
    );
    const many = vector(
      ...Array.from({ length: 5 }, (_, i): [Record<string, string>, string] => [{ i: String(i) }, '1']),
    );
    expect(evaluate(many, lt5).observed).toBe('{i="0"} 1, {i="1"} 1, {i="2"} 1, … (5 series)');
  });
});
