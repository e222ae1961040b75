// The dns probe against a real UDP DNS responder (test/helpers/dns-server.ts) on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CheckConfig, checkSchema } from '../../src/core/config/schema.js';
import { runChecks } from '../../src/verify/index.js';
import { type RunningDnsServer, startDnsServer } from '../helpers/dns-server.js';

let dns: RunningDnsServer;
const check = (
  name: string,
  probe: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): CheckConfig =>
  checkSchema.parse({
    name,
    interval: '5ms',
    failure_limit: 0,
    dns: { resolver: dns.address, ...probe },
    ...extra,
  });
const run = (checks: CheckConfig[], timeoutMs = 5_000) =>
  runChecks(checks, { target: 'us-west-2', timeoutMs });

beforeAll(async () => {
  dns = await startDnsServer({
    'api.example.test': { A: ['10.0.2.7'] },
    'pool.example.test': { A: ['10.0.2.7', '10.0.2.8'] },
    'v6.example.test': { AAAA: ['2001:db8::7'] },
    'checkout.example.test': { CNAME: 'us-west-2.checkout.example.test' },
    'us-west-2.checkout.example.test': { A: ['10.0.2.10'] },
    'old.example.test': { CNAME: 'US-EAST-1.checkout.example.test.' },
  });
});
afterAll(() => dns.close());

describe('dns probe', () => {
  it('passes when the A answer is the expected address', async () => {
    const report = await run([check('a', { name: 'api.example.test', expect: '10.0.2.7' })]);
    expect(report.checks[0]).toMatchObject({ kind: 'dns', verdict: 'pass' });
    expect(report.checks[0]?.attempts[0]).toMatchObject({ ok: true, observed: '10.0.2.7' });
    expect(dns.queries).toContainEqual({ name: 'api.example.test', type: 'A' });
  });

  it('compares a list as a set, in any order', async () => {
    const report = await run([
      check('ok', { name: 'pool.example.test', expect: ['10.0.2.8', '10.0.2.7'] }),
      check('partial', { name: 'pool.example.test', expect: '10.0.2.7' }),
    ]);
    expect(report.checks.map((c) => c.verdict)).toEqual(['pass', 'fail']);
    expect(report.checks[1]?.attempts[0]?.error).toBe('A pool.example.test: unexpected 10.0.2.8');
  });

  it('answers AAAA and compares addresses in canonical form', async () => {
    const report = await run([
      check('v6', { name: 'v6.example.test', type: 'AAAA', expect: '2001:DB8:0::7' }),
    ]);
    expect(report.checks[0]?.verdict).toBe('pass');
    expect(report.checks[0]?.attempts[0]?.observed).toBe('2001:db8::7');
  });

  it('checks a CNAME case-insensitively, ignoring a trailing dot, with {target} substituted', async () => {
    const report = await run([
      check('cname', {
        name: 'checkout.example.test',
        type: 'CNAME',
        expect: '{target}.Checkout.Example.Test.',
      }),
      check('old', { name: 'old.example.test', type: 'CNAME', expect: 'us-east-1.checkout.example.test' }),
    ]);
    expect(report.checks.map((c) => c.verdict)).toEqual(['pass', 'pass']);
    expect(report.checks[0]?.attempts[0]?.observed).toBe('us-west-2.checkout.example.test');
  });

  it('follows a CNAME chain for an A query', async () => {
    const report = await run([check('chain', { name: 'checkout.example.test', expect: '10.0.2.10' })]);
    expect(report.checks[0]?.verdict).toBe('pass');
  });

  it('fails on NXDOMAIN, on a missing record type and on a wrong answer', async () => {
    const report = await run([
      check('nx', { name: 'missing.example.test', expect: '10.0.0.1' }),
      check('nodata', { name: 'api.example.test', type: 'AAAA', expect: '::1' }),
      check('wrong', { name: 'api.example.test', expect: '10.0.1.7' }),
    ]);
    expect(report.checks.map((c) => [c.verdict, c.attempts[0]?.observed])).toEqual([
      ['fail', 'NXDOMAIN'],
      ['fail', 'no AAAA records'],
      ['fail', '10.0.2.7'],
    ]);
    expect(report.checks[2]?.attempts[0]?.error).toBe(
      'A api.example.test: missing 10.0.1.7; unexpected 10.0.2.7',
    );
  });

  it('passes once the record flips to the new target (successes in a row counted from then)', async () => {
    dns.set('flip.example.test', { CNAME: 'us-east-1.lb.example.test' });
    let asked = 0;
    let clock = Date.parse('2026-11-26T03:00:00Z');
    const report = await runChecks(
      [
        checkSchema.parse({
          name: 'flip',
          interval: '5ms',
          successes: 2,
          dns: {
            resolver: dns.address,
            name: 'flip.example.test',
            type: 'CNAME',
            expect: '{target}.lb.example.test',
          },
        }),
      ],
      {
        target: 'us-west-2',
        timeoutMs: 5_000,
        // A clock that only the waits move: however slow a loaded machine answers, every attempt is
        // followed by exactly one wait, so "the third wait" is always after the third attempt.
        now: () => clock,
        // The third wait is when "Terraform" flips the record.
        sleep: async (ms) => {
          asked++;
          clock += ms;
          if (asked === 3) dns.set('flip.example.test', { CNAME: 'us-west-2.lb.example.test' });
        },
      },
    );
    const c = report.checks[0];
    expect(c?.verdict).toBe('pass');
    const attempts = c?.attempts ?? [];
    // Before the flip every attempt fails; the pass is two successes in a row after it. On a loaded
    // machine an attempt after the flip may still time out, but none may pass on the old record.
    expect(attempts.slice(0, 3).map((a) => a.ok)).toEqual([false, false, false]);
    expect(attempts.slice(-2).map((a) => a.ok)).toEqual([true, true]);
    for (const a of attempts.slice(3, -2)) expect(a.ok).toBe(false);
  });

  it('fails an attempt when the resolver does not answer', async () => {
    dns.silence(true);
    try {
      const report = await run([
        check('silent', { name: 'api.example.test', expect: '10.0.2.7' }, { timeout: '200ms' }),
      ]);
      expect(report.checks[0]?.verdict).toBe('fail');
      expect(report.checks[0]?.attempts[0]).toMatchObject({ ok: false, observed: 'no answer' });
      expect(report.checks[0]?.attempts[0]?.error).toBe('timed out after 200ms');
    } finally {
      dns.silence(false);
    }
  });

  it('refuses a resolver that is not an IP address', async () => {
    const report = await run([
      checkSchema.parse({
        name: 'bad',
        dns: { resolver: 'dns.example.test:53', name: 'a.test', expect: '1.2.3.4' },
      }),
    ]);
    expect(report.checks[0]).toMatchObject({ verdict: 'fail', attempts: [] });
    expect(report.checks[0]?.message).toMatch(/must be an IP address/);
  });
});
