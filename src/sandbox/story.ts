// The demo's main story, watched step by step: traffic flows to us-east-1; the demo stops us-east-1;
// Prometheus fires, Alertmanager sends, the bot opens and merges the failover PR; the runner applies it
// with terraform and HAProxy moves traffic; the Action verifies and reports; the bot writes the timeline.
// Every time comes from the part that did the step (Prometheus, the PR marker, the Action's record).
import { parseMarker } from '../core/render/index.js';
import type { Pull } from '../memory-github/index.js';
import { readVerifyRecord } from '../service/result-text.js';
import { waitFor } from './ports.js';
import { PRIMARY, type Sandbox, SECONDARY } from './sandbox.js';

/** The main story's steps; the scenarios add their own (e.g. "refused", "rollback merged"). */
export type StepName = string;

export interface Step {
  name: StepName;
  at: number;
  detail?: string;
}

export interface StoryResult {
  steps: Step[];
  pr?: Pull;
  checkRun?: Record<string, unknown>;
  rto?: { total: number; detection: number; decision: number; apply: number; verification: number };
  /** Alert received by the bot → verified (what the product itself adds to detection). */
  ownShare?: number;
}

/** Generous: on a loaded machine terraform and the bot's first requests can take a while. */
const TIMEOUT_MS = 180_000;

export function verifyCheckRun(sandbox: Sandbox, sha: string): Record<string, unknown> | undefined {
  return [...sandbox.repo.checkRuns.values()].find(
    (c) => c.name === 'gitops-failover/verify' && c.head_sha === sha && c.status === 'completed',
  );
}

/** Waits until `what` returns a value; the message names the step that did not happen. */
export async function until<T>(
  what: () => T | undefined | Promise<T | undefined>,
  step: string,
  sandbox: Sandbox,
): Promise<T> {
  let found: T | undefined;
  try {
    await waitFor(
      async () => {
        found = await what();
        return found !== undefined;
      },
      TIMEOUT_MS,
      step,
    );
  } catch (err) {
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n${diagnostics(sandbox)}`);
  }
  return found as T;
}

export function diagnostics(sandbox: Sandbox): string {
  const runs = sandbox.runner.runs.map(
    (r) => `job ${r.job} ${r.conclusion ?? 'running'}:\n  ${r.log.slice(-30).join('\n  ')}`,
  );
  return [
    `monitoring (${sandbox.monitoring.kind}) log: ${sandbox.monitoring.logs().slice(-2_000)}`,
    `bot log (last lines):\n${sandbox.bot.process.output().split('\n').slice(-15).join('\n')}`,
    `webhook failures: ${JSON.stringify(sandbox.webhooks.failures)}`,
    ...runs,
  ].join('\n');
}

export async function failoverPr(
  sandbox: Sandbox,
  from = PRIMARY,
  to = SECONDARY,
): Promise<Pull | undefined> {
  return [...sandbox.repo.pulls.values()].find((p) => p.title === `Failover checkout: ${from} → ${to}`);
}

/** Records steps in order and prints each with its time. */
export function stepRecorder(say: (line: string) => void) {
  const steps: Step[] = [];
  const mark = (name: StepName, at: number, detail?: string) => {
    steps.push({ name, at, ...(detail ? { detail } : {}) });
    say(`${new Date(at).toISOString().slice(11, 23)}  ${name}${detail ? `: ${detail}` : ''}`);
  };
  return { steps, mark };
}

/** Waits until the last second of load was answered by `region` alone. */
export async function trafficOn(sandbox: Sandbox, region: string): Promise<void> {
  await until(
    () => {
      const recent = sandbox.load.samples.slice(-20);
      return recent.length === 20 && recent.every((s) => s.region === region) ? true : undefined;
    },
    `traffic answered by ${region}`,
    sandbox,
  );
}

export async function mainStory(
  sandbox: Sandbox,
  say: (line: string) => void = () => {},
): Promise<StoryResult> {
  const { steps, mark } = stepRecorder(say);
  await trafficOn(sandbox, PRIMARY);
  await sandbox.regions[PRIMARY]?.stop();
  mark('primary stopped', Date.now(), `${PRIMARY} refuses connections`);

  await until(
    async () =>
      (await sandbox.monitoring.alerts()).some((a) => a.region === PRIMARY && a.state === 'firing')
        ? true
        : undefined,
    'Prometheus to fire RegionDown',
    sandbox,
  );
  mark('alert fired', Date.now(), `RegionDown{region="${PRIMARY}"} firing`);

  const opened = await until(() => failoverPr(sandbox), 'the bot to open the failover PR', sandbox);
  const marker = parseMarker(opened.body);
  if (marker) mark('notification received', Date.parse(marker.receivedAt), 'Alertmanager → bot, bearer auth');
  mark('PR opened', Date.parse(marker?.openedAt ?? opened.createdAt), `#${opened.number} ${opened.title}`);
  const merged = await until(() => (opened.merged ? opened : undefined), 'the bot to merge the PR', sandbox);
  mark('merged', Date.parse(merged.mergedAt ?? ''), `merge commit ${merged.mergeCommitSha?.slice(0, 7)}`);

  const sha = merged.mergeCommitSha ?? '';
  const checkRun = await until(
    () => verifyCheckRun(sandbox, sha),
    'the Action to report its check run',
    sandbox,
  );
  const record = readVerifyRecord((checkRun.output ?? {}) as { summary?: string; text?: string });
  if (record?.appliedAt)
    mark(
      'applied',
      Date.parse(record.appliedAt),
      `terraform apply, HAProxy backend ${sandbox.entry.backend()}`,
    );
  if (record?.verifiedAt)
    mark('verified', Date.parse(record.verifiedAt), `check run ${String(checkRun.conclusion)}`);
  await until(
    () => (/\| verified \| 2/.test(opened.body) ? true : undefined),
    'the bot to write the timeline',
    sandbox,
  );
  mark('timeline written', Date.now(), `PR #${opened.number} body`);
  // The apply job's last steps (its "Result" line) finish after the check run was reported.
  await sandbox.runner.idle();
  return { steps, pr: opened, checkRun, ...rtoSplit(steps) };
}

export function rtoSplit(steps: Step[]): Pick<StoryResult, 'rto' | 'ownShare'> {
  const at = (name: StepName) => steps.find((s) => s.name === name)?.at;
  const [stopped, received, merged, applied, verified] = [
    at('primary stopped'),
    at('notification received'),
    at('merged'),
    at('applied'),
    at('verified'),
  ];
  if ([stopped, received, merged, applied, verified].some((t) => t === undefined)) return {};
  const s = (a: number | undefined, b: number | undefined) => ((b ?? 0) - (a ?? 0)) / 1000;
  return {
    rto: {
      total: s(stopped, verified),
      detection: s(stopped, received),
      decision: s(received, merged),
      apply: s(merged, applied),
      verification: s(applied, verified),
    },
    ownShare: s(received, verified),
  };
}
