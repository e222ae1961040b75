// The attempt loop with a scripted probe and an injected clock: streaks, failure limits, timeouts,
// inconclusive results and aborts, without any network.
import { describe, expect, it } from 'vitest';
import { checkSchema } from '../../../src/core/config/schema.js';
import {
  type PreparedCheck,
  prepareCheck,
  type RunContext,
  runChecks,
  runPreparedCheck,
} from '../../../src/verify/runner.js';
import type { Probe, ProbeOutcome } from '../../../src/verify/types.js';

/** A fake clock: sleeping advances it; each probe attempt takes `latency` ms of fake time. */
function fakeTime(timeoutMs: number, signal = new AbortController().signal) {
  const clock = { t: Date.parse('2026-11-26T03:00:00Z'), sleeps: [] as number[] };
  const ctx: RunContext = {
    now: () => clock.t,
    sleep: async (ms) => {
      clock.sleeps.push(ms);
      clock.t += ms;
      return !signal.aborted;
    },
    signal,
    timeoutMs,
    deadline: clock.t + timeoutMs,
  };
  return { clock, ctx };
}

function scripted(
  results: (boolean | null)[],
  clock: { t: number },
  latency = 100,
): Probe & { calls: number } {
  const probe = {
    kind: 'http' as const,
    describe: 'scripted',
    calls: 0,
    async attempt(): Promise<ProbeOutcome> {
      const ok = results[Math.min(probe.calls, results.length - 1)] as boolean | null; // null = inconclusive
      probe.calls++;
      clock.t += latency;
      if (ok === true) return { ok, observed: 'HTTP 200' };
      return ok === null
        ? { ok, observed: 'empty result', error: 'no series' }
        : { ok, observed: 'HTTP 503', error: 'expected status 200, got 503' };
    },
  };
  return probe;
}

function prepared(probe: Probe, over: Partial<PreparedCheck> = {}): PreparedCheck {
  return {
    name: 'c',
    kind: 'http',
    probe,
    intervalMs: 1_000,
    successes: 1,
    attemptTimeoutMs: 10_000,
    ...over,
  };
}

describe('runPreparedCheck', () => {
  it('passes after `successes` in a row; an inconclusive attempt breaks the streak', async () => {
    const { clock, ctx } = fakeTime(60_000);
    const probe = scripted([true, null, true, false, true, true], clock);
    const report = await runPreparedCheck(prepared(probe, { successes: 2 }), ctx);
    expect(report.verdict).toBe('pass');
    expect(report.attempts.map((a) => a.ok)).toEqual([true, null, true, false, true, true]);
    expect(report.message).toBe('2 successes in a row after 6 attempts');
  });

  it('records every attempt with its start time, duration, observation and error', async () => {
    const { clock, ctx } = fakeTime(60_000);
    const report = await runPreparedCheck(prepared(scripted([false, true], clock, 250)), ctx);
    expect(report.attempts).toEqual([
      {
        at: '2026-11-26T03:00:00.000Z',
        ok: false,
        ms: 250,
        observed: 'HTTP 503',
        error: 'expected status 200, got 503',
      },
      { at: '2026-11-26T03:00:01.000Z', ok: true, ms: 250, observed: 'HTTP 200' },
    ]);
  });

  it('schedules attempts every interval from start to start', async () => {
    const { clock, ctx } = fakeTime(60_000);
    await runPreparedCheck(prepared(scripted([false, false, true], clock, 300)), ctx);
    expect(clock.sleeps).toEqual([700, 700]);
  });

  it('gives up once more than failure_limit attempts failed', async () => {
    const { clock, ctx } = fakeTime(60_000);
    const probe = scripted([false], clock);
    const report = await runPreparedCheck(prepared(probe, { failureLimit: 2 }), ctx);
    expect(report).toMatchObject({ verdict: 'fail', ok: false });
    expect(probe.calls).toBe(3);
    expect(report.message).toBe(
      'gave up after 3 failed attempts (failure_limit 2); last: expected status 200, got 503',
    );
  });

  it('does not count inconclusive attempts against the failure limit', async () => {
    const { clock, ctx } = fakeTime(60_000);
    const report = await runPreparedCheck(
      prepared(scripted([null, null, null, true], clock), { failureLimit: 0 }),
      ctx,
    );
    expect(report.verdict).toBe('pass');
  });

  it('without a failure limit keeps trying until the overall timeout', async () => {
    const { clock, ctx } = fakeTime(3_500);
    const probe = scripted([false], clock);
    const report = await runPreparedCheck(prepared(probe, { successes: 2 }), ctx);
    expect(report.verdict).toBe('timeout');
    expect(probe.calls).toBe(4); // at 0, 1s, 2s, 3s; the next start (4s) is past the deadline
    expect(report.message).toBe(
      'did not reach 2 successes in a row within 4s (4 attempts: 4 failed); last: expected status 200, got 503',
    );
  });

  it('ends inconclusive when time runs out on an inconclusive answer', async () => {
    const { clock, ctx } = fakeTime(2_500);
    const report = await runPreparedCheck(prepared(scripted([false, null], clock)), ctx);
    expect(report.verdict).toBe('inconclusive');
    expect(report.message).toMatch(
      /^no conclusive result within 3s \(3 attempts: 1 failed, 2 inconclusive\); last: no series$/,
    );
  });

  it('does not count an attempt cut short by the deadline as a failure: the verdict comes from the last finished one', async () => {
    const { clock, ctx } = fakeTime(2_250);
    let calls = 0;
    const probe: Probe = {
      kind: 'prometheus',
      describe: 'empty twice, then hangs',
      attempt: () => {
        calls++;
        clock.t += 100;
        if (calls <= 2) return Promise.resolve({ ok: null, observed: 'empty result', error: 'no series' });
        return new Promise(() => {}); // cut at the deadline (250 ms of real time later)
      },
    };
    const report = await runPreparedCheck(prepared(probe, { failureLimit: 0 }), ctx);
    expect(report.verdict).toBe('inconclusive');
    expect(report.attempts.map((a) => a.ok)).toEqual([null, null, false]);
    expect(report.attempts[2]?.error).toBe('no answer before the overall timeout (2s)');
    expect(report.message).toMatch(/; last: no series$/);
  });

  it('makes no attempt when there is no time at all', async () => {
    const { clock, ctx } = fakeTime(0);
    const probe = scripted([true], clock);
    const report = await runPreparedCheck(prepared(probe), ctx);
    expect(report).toMatchObject({ verdict: 'timeout', attempts: [] });
    expect(probe.calls).toBe(0);
  });

  it('turns a throwing probe into a failed attempt, with secrets masked', async () => {
    const { ctx } = fakeTime(60_000);
    const probe: Probe = {
      kind: 'http',
      describe: 'throws',
      attempt: () => Promise.reject('cannot reach https://u:p4ss@host/'),
    };
    const report = await runPreparedCheck(prepared(probe, { failureLimit: 0 }), ctx);
    expect(report.attempts[0]).toMatchObject({
      ok: false,
      observed: 'error',
      error: 'cannot reach https://***@host/',
    });
  });

  it('times out an attempt that never answers, even if the probe ignores its signal', async () => {
    const { ctx } = fakeTime(60_000);
    const probe: Probe = { kind: 'tcp', describe: 'hangs', attempt: () => new Promise(() => {}) };
    const report = await runPreparedCheck(prepared(probe, { failureLimit: 0, attemptTimeoutMs: 20 }), ctx);
    expect(report.attempts[0]).toMatchObject({
      ok: false,
      observed: 'no answer',
      error: 'timed out after 20ms',
    });
  });

  it('stops at once when aborted during an attempt, recording it as inconclusive', async () => {
    const controller = new AbortController();
    const { ctx } = fakeTime(60_000, controller.signal);
    const probe: Probe = {
      kind: 'http',
      describe: 'hangs',
      attempt: () => {
        queueMicrotask(() => controller.abort());
        return new Promise(() => {});
      },
    };
    const report = await runPreparedCheck(prepared(probe), ctx);
    expect(report.verdict).toBe('inconclusive');
    expect(report.attempts).toHaveLength(1);
    expect(report.attempts[0]).toMatchObject({ ok: null, error: 'stopped: verification was aborted' });
    expect(report.message).toMatch(/^stopped before a verdict: verification was aborted/);
  });

  it('reports a check that cannot run as failed, without attempts', async () => {
    const { ctx } = fakeTime(60_000);
    const report = await runPreparedCheck(
      { ...prepared(scripted([true], { t: 0 })), probe: undefined, problem: 'bad' },
      ctx,
    );
    expect(report).toMatchObject({ verdict: 'fail', attempts: [], message: 'cannot run: bad' });
  });
});

describe('prepareCheck', () => {
  it('reads interval, successes, failure_limit and the per-attempt timeout (default 10s)', () => {
    const a = prepareCheck(
      checkSchema.parse({
        name: 'a',
        interval: '2s',
        successes: 3,
        failure_limit: 1,
        tcp: { host: 'h', port: 1 },
      }),
      'x',
    );
    expect(a).toMatchObject({
      kind: 'tcp',
      intervalMs: 2_000,
      successes: 3,
      failureLimit: 1,
      attemptTimeoutMs: 10_000,
    });
    const b = prepareCheck(
      checkSchema.parse({ name: 'b', timeout: '500ms', tcp: { host: 'h', port: 1 } }),
      'x',
    );
    expect(b).toMatchObject({ intervalMs: 10_000, attemptTimeoutMs: 500 });
    expect(b.failureLimit).toBeUndefined();
  });
});

describe('runChecks', () => {
  it('is ok for an empty list and stamps start and finish from the injected clock', async () => {
    let t = Date.parse('2026-11-26T03:00:00Z');
    const report = await runChecks([], { target: 'x', timeoutMs: 1_000, now: () => t++ });
    expect(report).toEqual({
      ok: true,
      startedAt: '2026-11-26T03:00:00.000Z',
      finishedAt: '2026-11-26T03:00:00.001Z',
      checks: [],
    });
  });

  it('returns at once when the signal is already aborted', async () => {
    const report = await runChecks([checkSchema.parse({ name: 't', tcp: { host: '127.0.0.1', port: 9 } })], {
      target: 'x',
      timeoutMs: 60_000,
      signal: AbortSignal.abort(),
    });
    expect(report.ok).toBe(false);
    expect(report.checks[0]).toMatchObject({ verdict: 'inconclusive', attempts: [] });
  });
});
