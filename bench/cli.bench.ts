// cli_simulate_cold_ms: median wall time of `failover simulate` on the example repo as a NEW process
// (what an SRE waits for at a terminal): process start, module loading, config + payload parsing,
// decision, rendering. Runs the bundle dist/cli/index.js when it has been built (node scripts/build.mjs),
// else the TypeScript sources through tsx, which is slower to start.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Figures } from './run.js';

const RUNS = 15;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SIMULATE = [
  'simulate',
  '--repo',
  'examples/infra-repo',
  '--alert',
  'examples/alerts/alertmanager-region-down.json',
  '--now',
  '2026-11-26T03:10:00Z',
];

export default async function (): Promise<Figures> {
  const bundle = join(root, 'dist/cli/index.js');
  const entry = existsSync(bundle) ? [bundle] : ['--import', 'tsx', join(root, 'src/cli/main.ts')];
  const once = (): number => {
    const started = performance.now();
    const r = spawnSync(process.execPath, [...entry, ...SIMULATE], { cwd: root, encoding: 'utf8' });
    const ms = performance.now() - started;
    if (r.status !== 0 || !r.stdout.includes('Failover checkout: us-east-1 → us-west-2')) {
      throw new Error(`failover simulate failed (exit ${r.status}): ${r.stderr || r.stdout.slice(0, 500)}`);
    }
    return ms;
  };
  once(); // warm the OS file cache; every measured run is still a fresh process
  const times = Array.from({ length: RUNS }, once).sort((a, b) => a - b);
  const median = times[Math.floor(RUNS / 2)] ?? Number.NaN;
  process.stderr.write(
    `  cli: ${entry[0] === bundle ? 'dist/cli/index.js' : 'tsx src/cli/main.ts'}, ${RUNS} runs, ` +
      `min ${times[0]?.toFixed(0)} ms, max ${times[RUNS - 1]?.toFixed(0)} ms\n`,
  );
  return { cli_simulate_cold_ms: { value: Math.round(median), unit: 'ms', budget: 1000 } };
}
