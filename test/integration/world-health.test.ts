// Live target health: a service's preflight checks run once each, bounded, against real local servers.
// Up, down (with what the probe saw, e.g. "HTTP 503"), inconclusive when nothing answers in time, and
// not-configured for a service without preflight checks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceSchema } from '../../src/core/config/schema.js';
import { readTargetHealth } from '../../src/world/index.js';
import { closedPort, type RunningHttpTarget, startHttpTarget } from '../helpers/probe-targets.js';

let server: RunningHttpTarget;
beforeAll(async () => {
  server = await startHttpTarget({
    '/us-east-1/healthz': { status: 200, body: 'ok' },
    '/us-west-2/healthz': { status: 503, body: 'unavailable' },
    '/eu-west-1/healthz': { status: 200, delayMs: 5_000 },
  });
});
afterAll(() => server.close());

const service = (checks: unknown[]) =>
  serviceSchema.parse({
    targets: ['us-east-1', 'us-west-2', 'eu-west-1'],
    state: { file: 'state.json', key: 'active' },
    // interval and failure_limit as a team would write them for the Action's preflight: the live read
    // still takes one attempt each, so a failing target is known at once, not after minutes.
    preflight: { timeout: '5m', checks },
  });

describe('readTargetHealth', () => {
  const http = (url: string) => ({ name: 'healthz', http: { url }, interval: '30s', successes: 3 });

  it('up when every check passes, down with what was seen when one fails', async () => {
    const svc = service([http(`${server.url}/{target}/healthz`)]);
    expect(await readTargetHealth(svc, 'us-east-1')).toEqual({
      status: 'read',
      value: { health: 'up', detail: '' },
    });
    expect(await readTargetHealth(svc, 'us-west-2')).toEqual({
      status: 'read',
      value: { health: 'down', detail: 'healthz: HTTP 503' },
    });
  });

  it('down when nothing listens on the target', async () => {
    const svc = service([http(`http://127.0.0.1:${await closedPort()}/healthz`)]);
    const read = await readTargetHealth(svc, 'us-east-1');
    expect(read).toMatchObject({ status: 'read', value: { health: 'down' } });
  });

  it('inconclusive when a check has no answer within the bound', async () => {
    const svc = service([http(`${server.url}/{target}/healthz`)]);
    const read = await readTargetHealth(svc, 'eu-west-1', { boundMs: 300 });
    expect(read).toEqual({
      status: 'read',
      value: { health: 'inconclusive', detail: expect.stringContaining('healthz: no verdict within') },
    });
  });

  it('not-configured without preflight checks', async () => {
    expect(await readTargetHealth(service([]), 'us-east-1')).toEqual({ status: 'not-configured' });
  });
});
