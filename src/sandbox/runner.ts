// A local runner that plays GitHub Actions for the repo's workflows: on the in-memory GitHub's push
// webhook it reads the workflows at the pushed commit, applies their `on.push` filters and job `if`s,
// and runs the steps with the environment a GitHub-hosted job gets (GITHUB_*, INPUT_*, GITHUB_OUTPUT,
// GITHUB_STEP_SUMMARY, GITHUB_EVENT_PATH). `actions/checkout` materialises the commit into a real git
// repository, `hashicorp/setup-terraform` checks terraform is on PATH, `gitops-failover/gitops-failover`
// runs this project's committed dist/action/index.js, and `run:` steps run in bash. Jobs run one at a
// time, like the example's `concurrency: failover-apply` group.
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type DoubleState, onWebhook, type RepoState, type WebhookDelivery } from '../memory-github/index.js';
import { checkout } from './git-materialise.js';
import {
  type ExprContext,
  evaluateIf,
  interpolate,
  parseWorkflow,
  pushTriggers,
  type WorkflowStep,
} from './workflow.js';

export interface JobRun {
  id: number;
  workflow: string;
  job: string;
  sha: string;
  startedAt: number;
  endedAt?: number;
  conclusion?: 'success' | 'failure' | 'skipped';
  /** Each step's outputs, by step id. */
  outputs: Record<string, Record<string, string>>;
  summary: string;
  log: string[];
}

export interface RunnerOptions {
  state: DoubleState;
  repo: RepoState;
  /** The in-memory GitHub's base URL (GITHUB_API_URL is `${apiBase}/api/v3`). */
  apiBase: string;
  /** Where links point (GITHUB_SERVER_URL): the in-memory GitHub's web view. */
  serverUrl: string;
  /** This project's root: the Action is `${root}/dist/action/index.js`. */
  root: string;
  /** The runner's own directory: workspace, temp files. */
  dir: string;
  /** Environment the runner adds to every job (the repo's variables, tool paths). */
  env: Record<string, string>;
  onJob?(run: JobRun): void;
}

export interface Runner {
  runs: JobRun[];
  workspace: string;
  /** Settles when every job queued so far has finished. */
  idle(): Promise<void>;
  stop(): void;
}

const exec = promisify(execFile);
/** The GITHUB_TOKEN every job gets; the sandbox's GitHub knows it (and no other Actions token). */
export const RUNNER_TOKEN = 'ghs_sandbox_runner_token';
const ACTION_USES = /^gitops-failover\/gitops-failover@/;

export function startRunner(opts: RunnerOptions): Runner {
  const runs: JobRun[] = [];
  const workspace = join(opts.dir, 'work', opts.repo.name);
  mkdirSync(workspace, { recursive: true });
  let queue: Promise<void> = Promise.resolve();
  let nextId = 1;
  const onDelivery = (d: WebhookDelivery) => {
    if (d.name !== 'push') return;
    const payload = d.payload as { ref: string; before: string; after: string };
    if (payload.ref !== `refs/heads/${opts.repo.defaultBranch}`) return;
    queue = queue.then(() => runPush(payload).catch((err: unknown) => recordCrash(err, payload.after)));
  };

  const recordCrash = (err: unknown, sha: string) => {
    const run: JobRun = {
      id: nextId++,
      workflow: '(runner)',
      job: '(runner)',
      sha,
      startedAt: Date.now(),
      endedAt: Date.now(),
      conclusion: 'failure',
      outputs: {},
      summary: '',
      log: [`runner error: ${err instanceof Error ? err.message : String(err)}`],
    };
    runs.push(run);
    opts.onJob?.(run);
  };

  const runPush = async (payload: { ref: string; before: string; after: string }) => {
    const commit = opts.repo.commits.get(payload.after);
    const before = opts.repo.commits.get(payload.before);
    if (!commit) return;
    const changed = [...commit.tree.keys(), ...(before?.tree.keys() ?? [])].filter(
      (path) => commit.tree.get(path) !== before?.tree.get(path),
    );
    for (const [path, text] of commit.tree) {
      if (!/^\.github\/workflows\/[^/]+\.ya?ml$/.test(path)) continue;
      const wf = parseWorkflow(text);
      if (!pushTriggers(wf, opts.repo.defaultBranch, changed)) continue;
      for (const [jobName, job] of Object.entries(wf.jobs)) {
        const run: JobRun = {
          id: nextId++,
          workflow: wf.name,
          job: jobName,
          sha: payload.after,
          startedAt: Date.now(),
          outputs: {},
          summary: '',
          log: [],
        };
        const github = githubContext(opts, payload, run);
        if (!evaluateIf({ github, steps: {}, failed: false }, job.if)) continue;
        runs.push(run);
        await runJob(run, job.steps, github, payload);
        run.endedAt = Date.now();
        opts.onJob?.(run);
      }
    }
  };

  const runJob = async (
    run: JobRun,
    steps: WorkflowStep[],
    github: Record<string, string>,
    payload: Record<string, unknown>,
  ) => {
    const temp = join(opts.dir, 'temp', String(run.id));
    mkdirSync(temp, { recursive: true });
    const eventPath = join(temp, 'event.json');
    writeFileSync(eventPath, JSON.stringify(payload));
    const ctx: ExprContext = { github, steps: {}, failed: false };
    for (const [index, step] of steps.entries()) {
      const id = step.id ?? `step${index}`;
      if (!evaluateIf(ctx, step.if)) {
        ctx.steps[id] = { outputs: {}, outcome: 'skipped' };
        continue;
      }
      const files = {
        output: join(temp, `output-${index}`),
        summary: join(temp, `summary-${index}`),
      };
      writeFileSync(files.output, '');
      writeFileSync(files.summary, '');
      let ok: boolean;
      try {
        const env: Record<string, string> = {
          ...jobEnv(opts, github, eventPath, temp, workspace),
          GITHUB_OUTPUT: files.output,
          GITHUB_STEP_SUMMARY: files.summary,
          GITHUB_ACTION: id,
          ...Object.fromEntries(
            Object.entries(step.env ?? {}).map(([k, v]) => [k, interpolate(ctx, String(v))]),
          ),
        };
        ok = await runStep(step, env, ctx, run);
      } catch (err: unknown) {
        // An expression the runner cannot evaluate fails the step, as an invalid one fails it on GitHub.
        run.log.push(`step failed: ${err instanceof Error ? err.message : String(err)}`);
        ok = false;
      }
      const outputs = parseOutputFile(readFileSync(files.output, 'utf8'));
      run.outputs[id] = outputs;
      run.summary += readFileSync(files.summary, 'utf8');
      ctx.steps[id] = { outputs, outcome: ok ? 'success' : 'failure' };
      if (!ok) ctx.failed = true;
    }
    run.conclusion = ctx.failed ? 'failure' : 'success';
  };

  const runStep = async (
    step: WorkflowStep,
    env: Record<string, string>,
    ctx: ExprContext,
    run: JobRun,
  ): Promise<boolean> => {
    const label = step.name ?? step.uses ?? 'run';
    run.log.push(`▶ ${label}`);
    if (step.uses?.startsWith('actions/checkout@')) {
      await checkout(workspace, opts.repo, run.sha, opts.repo.defaultBranch);
      return true;
    }
    if (step.uses?.startsWith('hashicorp/setup-terraform@')) {
      try {
        await exec('terraform', ['version'], { env });
        return true;
      } catch {
        run.log.push('terraform is not on PATH');
        return false;
      }
    }
    if (step.uses && ACTION_USES.test(step.uses)) {
      const inputs = Object.fromEntries(
        Object.entries(step.with ?? {}).map(([k, v]) => [inputEnvName(k), interpolate(ctx, String(v))]),
      );
      return spawnStep(
        process.execPath,
        [join(opts.root, 'dist/action/index.js')],
        { ...env, ...inputs },
        run,
      );
    }
    if (step.run !== undefined) {
      return spawnStep(
        'bash',
        ['--noprofile', '--norc', '-eo', 'pipefail', '-c', interpolate(ctx, step.run)],
        env,
        run,
      );
    }
    run.log.push(`the sandbox runner does not run "${step.uses}"`);
    return false;
  };

  const spawnStep = (command: string, args: string[], env: Record<string, string>, run: JobRun) =>
    new Promise<boolean>((resolve) => {
      const child = spawn(command, args, { cwd: workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
      const keep = (d: Buffer) => {
        for (const line of d.toString('utf8').split('\n')) if (line) run.log.push(line);
      };
      child.stdout.on('data', keep);
      child.stderr.on('data', keep);
      child.once('error', (err) => {
        run.log.push(err.message);
        resolve(false);
      });
      child.once('exit', (code) => resolve(code === 0));
    });

  const unsubscribe = onWebhook(opts.state, onDelivery);
  return { runs, workspace, idle: () => queue, stop: unsubscribe };
}

function githubContext(
  opts: RunnerOptions,
  payload: { ref: string; before: string; after: string },
  run: JobRun,
): Record<string, string> {
  return {
    event_name: 'push',
    ref: payload.ref,
    sha: payload.after,
    head_ref: '',
    repository: `${opts.repo.owner}/${opts.repo.name}`,
    token: RUNNER_TOKEN,
    run_id: String(run.id),
    job: run.job,
  };
}

function jobEnv(
  opts: RunnerOptions,
  github: Record<string, string>,
  eventPath: string,
  temp: string,
  workspace: string,
): Record<string, string> {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(
      (e): e is [string, string] =>
        e[1] !== undefined && !e[0].startsWith('INPUT_') && !e[0].startsWith('GITHUB_'),
    ),
  );
  return {
    ...base,
    ...opts.env,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_REPOSITORY: github.repository ?? '',
    GITHUB_REPOSITORY_OWNER: opts.repo.owner,
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_SHA: github.sha ?? '',
    GITHUB_REF: github.ref ?? '',
    GITHUB_REF_NAME: opts.repo.defaultBranch,
    GITHUB_WORKSPACE: workspace,
    GITHUB_API_URL: `${opts.apiBase}/api/v3`,
    GITHUB_GRAPHQL_URL: `${opts.apiBase}/api/graphql`,
    GITHUB_SERVER_URL: opts.serverUrl,
    GITHUB_RUN_ID: github.run_id ?? '',
    GITHUB_RUN_NUMBER: github.run_id ?? '',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_JOB: github.job ?? '',
    GITHUB_ACTOR: 'gitops-failover[bot]',
    GITHUB_ENV: join(temp, 'env'),
    GITHUB_PATH: join(temp, 'path'),
    RUNNER_OS: 'Linux',
    RUNNER_TEMP: temp,
  };
}

/** The variable @actions/core's getInput reads for an input (`working-directory` → `INPUT_WORKING-DIRECTORY`). */
export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/** GITHUB_OUTPUT lines: `name=value` or `name<<DELIM` … `DELIM`. */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const values: string[] = [];
      for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) values.push(lines[i] ?? '');
      out[heredoc[1] ?? ''] = values.join('\n');
      continue;
    }
    const eq = line.indexOf('=');
    if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}
