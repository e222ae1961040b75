// The sandbox's main story, three times on one boot (reset in between): the recovery time a user sees
// (primary stopped → verified through the entry point) and the product's own share of it (the bot got
// the alert → verified). Real Prometheus, Alertmanager, HAProxy and terraform; skipped (no figures)
// when a program is missing.
import { missingPrograms } from '../src/sandbox/requirements.js';
import { startSandbox } from '../src/sandbox/sandbox.js';
import { resetSandbox } from '../src/sandbox/scenarios.js';
import { mainStory } from '../src/sandbox/story.js';
import type { Figures } from './run.js';

const RUNS = 3;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

export default async function sandboxBench(): Promise<Figures> {
  const missing = missingPrograms();
  if (missing.length > 0) {
    process.stderr.write(`  sandbox bench skipped: missing ${missing.map((p) => p.bin).join(', ')}\n`);
    return {};
  }
  const sandbox = await startSandbox(process.cwd());
  const rto: number[] = [];
  const own: number[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      if (run > 0) await resetSandbox(sandbox);
      const result = await mainStory(sandbox);
      if (!result.rto || result.ownShare === undefined) throw new Error('the main story reached no RTO');
      const r = result.rto;
      process.stderr.write(
        `  run ${run + 1}: RTO ${r.total.toFixed(1)}s (detection ${r.detection.toFixed(1)}s, decision ${r.decision.toFixed(1)}s, apply ${r.apply.toFixed(1)}s, verification ${r.verification.toFixed(1)}s)\n`,
      );
      rto.push(r.total);
      own.push(result.ownShare);
    }
  } finally {
    await sandbox.stop();
  }
  return {
    sandbox_rto_s: { value: median(rto), unit: 's', budget: 20 },
    sandbox_own_share_s: { value: median(own), unit: 's', budget: 3 },
  };
}
