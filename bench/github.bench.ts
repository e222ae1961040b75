// Alert → PR open through the GitHub port against the GitHub double (DESIGN §9): sequential round
// trips on the warm critical path (readSnapshot + ensureFailoverPr) and wall time at 100 ms per call.
import { createGitHubPort } from '../src/github/index.js';
import { checkoutPlan, infraRepoFiles } from '../test/helpers/github-double/fixtures.js';
import { doubleClient, startGitHubDouble } from '../test/helpers/github-double/index.js';
import type { Figures } from './run.js';

const RUNS = 5;

export default async function (): Promise<Figures> {
  const double = await startGitHubDouble();
  const trips: number[] = [];
  const millis: number[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      for (const latency of [0, 100]) {
        const name = `infra-${latency}-${i}`;
        double.setLatency(0);
        double.state.seed('acme', name, infraRepoFiles());
        const port = createGitHubPort({ client: doubleClient(double), owner: 'acme', repo: name });
        // Warm: a running bot has read this repo before (config cached by blob oid).
        await port.readSnapshot();
        double.setLatency(latency);
        const from = double.calls.length;
        const started = performance.now();
        const snap = await port.readSnapshot();
        const pr = await port.ensureFailoverPr(checkoutPlan(snap.view.headSha), snap);
        const elapsed = performance.now() - started;
        if (!pr.created) throw new Error('expected a new PR');
        if (latency === 0) trips.push(double.roundTrips(from));
        else millis.push(elapsed);
      }
    }
  } finally {
    await double.close();
  }
  millis.sort((a, b) => a - b);
  return {
    alert_to_pr_round_trips: { value: Math.max(...trips), unit: 'trips', budget: 3 },
    alert_to_pr_ms_at_100ms_rtt: {
      value: Math.round(millis[Math.floor(millis.length / 2)] ?? 0),
      unit: 'ms',
      budget: 500,
    },
  };
}
