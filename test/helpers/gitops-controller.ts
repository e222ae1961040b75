// A stand-in for Argo CD / Flux in `iac: none` tests: it polls the infra repo's main branch as a
// controller polls git, applies a new revision only `syncDelayMs` after first seeing it (the sync lag the
// Action must wait out; optionally not before some probes saw the old state), and a real local HTTP server answers GET /region with the region it applied.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readStateValue } from '../../src/core/state/index.js';
import { type RunningHttpTarget, startHttpTarget } from './probe-targets.js';

const run = promisify(execFile);

export interface FakeController {
  /** Serves GET /region → {"region": <applied region>}. */
  http: RunningHttpTarget;
  /** Every region /region answered, in order. */
  served: string[];
  stop(): Promise<void>;
}

export async function startController(o: {
  repoDir: string;
  file: string;
  key: string;
  /** The region live before the controller's first poll. */
  initial: string;
  syncDelayMs: number;
  /**
   * Also hold the new revision back until /region has answered this many probes: a test can then prove
   * the Action waited, however slowly a loaded machine gets it to its first probe.
   */
  syncAfterProbes?: number;
  /** A stuck controller: it sees new revisions but never applies them. */
  stalled?: boolean;
}): Promise<FakeController> {
  let applied = o.initial;
  let pending: { region: string; seenAt: number } | undefined;
  const served: string[] = [];
  const probed = () => served.length >= (o.syncAfterProbes ?? 0);
  const poll = async () => {
    const { stdout } = await run('git', ['-C', o.repoDir, 'show', `main:${o.file}`]);
    const wanted = String(readStateValue(o.file, stdout, o.key));
    if (wanted === applied) pending = undefined;
    else if (pending?.region !== wanted) pending = { region: wanted, seenAt: Date.now() };
    else if (!o.stalled && Date.now() - pending.seenAt >= o.syncDelayMs && probed()) applied = wanted;
  };
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      await poll();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  const http = await startHttpTarget({
    '/region': () => {
      served.push(applied);
      return { json: { region: applied } };
    },
  });
  return {
    http,
    served,
    stop: async () => {
      stopped = true;
      await loop;
      await http.close();
    },
  };
}
