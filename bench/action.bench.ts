// action_startup_ms: median wall time of 20 starts of the committed bundle `node dist/action/index.js`
// with an invalid input (INPUT_COMMAND=nope), so it loads everything, validates, fails and exits: the
// price every Action run pays before doing any work. Budget 150 ms (DESIGN §9).
// action_load_ms: the same minus the median start of a bare `node -e ''` measured alongside, i.e. what
// the bundle itself costs on this machine (node's own start-up varies with the host's load).
// verify_concurrency_ratio lives in bench/verify.bench.ts (the verify helper's).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Figures } from './run.js';

const RUNS = 20;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'dist/action/index.js');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function time(args: string[], env: Record<string, string>, check: (r: ReturnType<typeof spawnSync>) => void) {
  const started = performance.now();
  const r = spawnSync(process.execPath, args, {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
  });
  const ms = performance.now() - started;
  check(r);
  return ms;
}

export default async function (): Promise<Figures> {
  if (!existsSync(bundle)) throw new Error('dist/action/index.js is missing: run node scripts/build.mjs');
  const startAction = () =>
    time([bundle], { INPUT_COMMAND: 'nope' }, (r) => {
      if (r.status !== 1 || !String(r.stdout).includes('input "command" must be plan, apply or verify')) {
        throw new Error(`unexpected bundle run (exit ${r.status}): ${String(r.stdout).slice(0, 300)}`);
      }
    });
  const startNode = () => time(['-e', ''], {}, () => {});
  startAction(); // warm the OS file cache; every measured run is still a fresh process
  const action: number[] = [];
  const node: number[] = [];
  // Interleaved, so a burst of load on the host hits both series alike.
  for (let i = 0; i < RUNS; i++) {
    action.push(startAction());
    node.push(startNode());
  }
  const startup = median(action);
  const baseline = median(node);
  process.stderr.write(
    `  action: ${RUNS} starts, median ${startup.toFixed(0)} ms (min ${Math.min(...action).toFixed(0)}, ` +
      `max ${Math.max(...action).toFixed(0)}); bare node median ${baseline.toFixed(0)} ms\n`,
  );
  return {
    action_startup_ms: { value: Math.round(startup), unit: 'ms', budget: 150 },
    action_load_ms: { value: Math.round(startup - baseline), unit: 'ms', budget: 100 },
  };
}
