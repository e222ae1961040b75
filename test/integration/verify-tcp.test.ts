// The tcp probe against a real listener and a port nobody listens on.
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSchema } from '../../src/core/config/schema.js';
import { runChecks } from '../../src/verify/index.js';
import { closedPort, type RunningTcpTarget, startTcpTarget } from '../helpers/probe-targets.js';

let tcp: RunningTcpTarget;
// nock 15 intercepts every net.Socket.connect and emits 'connect' at once, before (and even without)
// a real connection, so a raw TCP probe cannot be tested under it. This file only touches loopback;
// nock is switched off here and switched back on afterwards.
beforeAll(async () => {
  nock.restore();
  tcp = await startTcpTarget();
});
afterAll(async () => {
  try {
    await tcp?.close();
  } finally {
    nock.activate(); // even when the listener never started or failed to close
  }
});

describe('tcp probe', () => {
  it('passes when the port accepts a connection', async () => {
    const report = await runChecks(
      [
        checkSchema.parse({
          name: 'db',
          successes: 2,
          interval: '5ms',
          tcp: { host: '127.0.0.1', port: tcp.port },
        }),
      ],
      { target: 'us-west-2', timeoutMs: 5_000 },
    );
    expect(report.checks[0]).toMatchObject({ kind: 'tcp', verdict: 'pass' });
    expect(report.checks[0]?.attempts.map((a) => a.observed)).toEqual(['connected', 'connected']);
    expect(tcp.connections()).toBeGreaterThanOrEqual(2);
  });

  it('fails on a refused connection', async () => {
    const port = await closedPort();
    const report = await runChecks(
      [
        checkSchema.parse({
          name: 'db',
          failure_limit: 1,
          interval: '5ms',
          tcp: { host: '127.0.0.1', port },
        }),
      ],
      { target: 'us-west-2', timeoutMs: 5_000 },
    );
    const c = report.checks[0];
    expect(c?.verdict).toBe('fail');
    expect(c?.attempts).toHaveLength(2);
    expect(c?.attempts[0]).toMatchObject({ ok: false, observed: 'refused' });
    expect(c?.attempts[0]?.error).toMatch(/ECONNREFUSED/);
    expect(c?.message).toMatch(/gave up after 2 failed attempts \(failure_limit 1\)/);
  });

  it('substitutes {target} in the host', async () => {
    const report = await runChecks(
      [checkSchema.parse({ name: 'db', tcp: { host: '{target}', port: tcp.port } })],
      { target: '127.0.0.1', timeoutMs: 5_000 },
    );
    expect(report.checks[0]?.verdict).toBe('pass');
  });
});
