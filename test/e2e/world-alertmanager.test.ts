// The alert-source reader against a real Alertmanager 0.25: alerts posted the way Prometheus posts
// them, one region under a silence (maintenance), an HA "pair" whose first member is down. What the
// reader sees is what a decision will see: the silenced region still counts, as suppressed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertSourceSchema } from '../../src/core/config/schema.js';
import { readFiringAlerts } from '../../src/world/index.js';
import { alertmanagerMissing, type RunningAlertmanager, startAlertmanager } from '../helpers/alertmanager.js';
import { waitFor } from '../helpers/ports.js';
import { closedPort } from '../helpers/probe-targets.js';

const missing = alertmanagerMissing();
if (missing) console.warn(`skipping the Alertmanager reader test: ${missing}`);

describe.skipIf(missing !== undefined)('alert source of record: a real Alertmanager', () => {
  let am: RunningAlertmanager;
  beforeAll(async () => {
    // Its webhook receiver is nobody: this test only reads the API.
    am = await startAlertmanager({ webhookUrl: `http://127.0.0.1:${await closedPort()}/nobody` });
  }, 30_000);
  afterAll(() => am?.stop());

  it('reads active and silenced alerts from any reachable member', async () => {
    const startsAt = new Date(Date.now() - 5 * 60_000).toISOString();
    await am.fire([
      {
        labels: {
          alertname: 'RegionDown',
          service: 'checkout',
          region: 'us-east-1',
          severity: 'critical',
          probe: 'a',
        },
        startsAt,
      },
      {
        labels: {
          alertname: 'RegionDown',
          service: 'checkout',
          region: 'us-west-2',
          severity: 'critical',
          probe: 'a',
        },
        startsAt,
      },
    ]);
    const silence = await fetch(`${am.url}/api/v2/silences`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        matchers: [{ name: 'region', value: 'us-west-2', isRegex: false, isEqual: true }],
        startsAt: new Date(Date.now() - 60_000).toISOString(),
        endsAt: new Date(Date.now() + 3_600_000).toISOString(),
        createdBy: 'test',
        comment: 'maintenance',
      }),
    });
    expect(silence.ok).toBe(true);
    const src = alertSourceSchema.parse({
      type: 'alertmanager',
      urls: [`http://127.0.0.1:${await closedPort()}`, am.url],
      timeout: '5s',
    });
    // Alertmanager applies a new silence on its next evaluation: wait until it shows.
    let states: Record<string, string> = {};
    await waitFor(
      async () => {
        const read = await readFiringAlerts(src, { env: {} });
        if (read.status !== 'read') return false;
        states = Object.fromEntries(read.value.map((a) => [a.labels.region ?? '', a.state]));
        return states['us-west-2'] === 'suppressed';
      },
      20_000,
      'the silence to suppress us-west-2',
    );
    expect(states).toEqual({ 'us-east-1': 'active', 'us-west-2': 'suppressed' });
  }, 40_000);
});
