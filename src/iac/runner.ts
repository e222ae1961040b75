// Terraform / OpenTofu CLI runner. One object per working directory; each method is one CLI step,
// timed and reported through `log`. Non-interactive by construction: `-input=false`, `-no-color`,
// `TF_IN_AUTOMATION=1`, argv without a shell.
import { join } from 'node:path';
import { UserError } from '../core/errors.js';
import { assertStackSynthesised, CDKTN_OUT, cdktnCliMissing, findCdktnCli, synthFailure } from './cdktn.js';
import { IacError, type IacStep, tailLines } from './errors.js';
import { type ExecFn, type ExecResult, spawnExec } from './exec.js';

export type IacTool = 'terraform' | 'tofu' | 'cdktn';

export interface IacStepLog {
  step: IacStep;
  ms: number;
  ok: boolean;
  tool: IacTool;
  /** Exit code when the process ran. */
  exitCode?: number;
}

export interface IacRunnerOptions {
  tool: IacTool;
  /**
   * Path or name of the Terraform CLI (input `iac-binary`); default `terraform`, or `tofu` for tool
   * `tofu`. For cdktn it is the CLI that plans and applies the synthesised stack.
   */
  binary?: string;
  /** The Terraform root (for cdktn: the cdktn app directory). */
  cwd: string;
  /**
   * cdktn only: the cdktn CLI. Default: `node_modules/.bin/cdktn` of the app directory or the nearest
   * parent up to `repoRoot`, i.e. the infra repo's own cdktn-cli.
   */
  cdktnBinary?: string;
  /** cdktn only: the repository root, where the search for node_modules/.bin/cdktn stops. */
  repoRoot?: string;
  /** Merged over process.env for the child process. */
  env?: Record<string, string | undefined>;
  log?: (entry: IacStepLog) => void;
  /**
   * Each line the CLI prints during init, plan and apply, as it prints it. Never for `show -json`, whose
   * output holds the plan's values unmasked.
   */
  onOutput?: (line: string, step: IacStep) => void;
  exec?: ExecFn;
  /** cdktn only: the stack whose synthesised Terraform is planned and applied. */
  stack?: string;
  /** Cancels the running step (the process is killed); e.g. AbortSignal.timeout(ms) for a job budget. */
  signal?: AbortSignal;
  /** Monotonic clock in ms, injectable for tests. */
  now?: () => number;
}

export interface IacStepResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface IacPlanResult extends IacStepResult {
  /** `-detailed-exitcode` 2: applying the plan would change something. */
  changes: boolean;
  planFile: string;
}

export interface IacRunner {
  readonly tool: IacTool;
  readonly binary: string;
  /** The directory the Terraform commands run in (the synthesised stack for cdktn). */
  workingDir(): string;
  /** cdktn: directory of the synthesised stack, `cdktf.out/stacks/<stack>`. */
  synthDir(): string;
  /** cdktn: `cdktn synth --output cdktf.out` in the app directory; checks the stack was synthesised. */
  synth(): Promise<IacStepResult>;
  init(extraArgs?: string[]): Promise<IacStepResult>;
  /** `plan -out=<outFile> -detailed-exitcode`; resolves for exit 0 (no changes) and 2 (changes). */
  plan(outFile: string, extraArgs?: string[]): Promise<IacPlanResult>;
  /** `show -json <planFile>`, parsed. */
  showJson(planFile: string): Promise<unknown>;
  /** Applies a saved plan as is, or (without one) a fresh plan with `-auto-approve`. */
  apply(planFile?: string, extraArgs?: string[]): Promise<IacStepResult>;
}

const COMMON = ['-input=false', '-no-color'];

export function createIacRunner(options: IacRunnerOptions): IacRunner {
  const { tool, cwd } = options;
  const binary = options.binary?.trim() || (tool === 'tofu' ? 'tofu' : 'terraform');
  const exec = options.exec ?? spawnExec;
  const now = options.now ?? (() => performance.now());
  const env: Record<string, string | undefined> = {
    ...process.env,
    ...options.env,
    TF_IN_AUTOMATION: '1',
  };
  // No version-check call home from CI unless the caller explicitly wants it.
  env.CHECKPOINT_DISABLE ??= '1';

  if (tool === 'cdktn' && !options.stack) {
    throw new UserError(
      'iac cdktn needs the stack to deploy (option `stack`): the Terraform runs in cdktf.out/stacks/<stack>.',
    );
  }
  const synthDir = (): string => {
    if (tool !== 'cdktn' || !options.stack) {
      throw new UserError(`synthDir() is only meaningful for iac cdktn (this runner is ${tool}).`);
    }
    return join(cwd, CDKTN_OUT, 'stacks', options.stack);
  };
  const workingDir = (): string => (tool === 'cdktn' ? synthDir() : cwd);

  /** One CLI step; `cli` overrides the program and its directory (the cdktn synth). */
  async function run(
    step: IacStep,
    args: string[],
    okCodes: readonly number[],
    cli?: { file: string; cwd: string; fail: (result: ExecResult) => Error },
  ): Promise<ExecResult> {
    const started = now();
    let result: ExecResult;
    try {
      const onOutput = step === 'show' ? undefined : options.onOutput;
      result = await exec(cli?.file ?? binary, args, {
        cwd: cli?.cwd ?? workingDir(),
        env,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(onOutput ? { onLine: (line: string) => onOutput(line, step) } : {}),
      });
    } catch (err: unknown) {
      options.log?.({ step, ms: now() - started, ok: false, tool });
      throw startFailure(err, step, cli?.file);
    }
    const ok = okCodes.includes(result.exitCode);
    options.log?.({ step, ms: now() - started, ok, tool, exitCode: result.exitCode });
    if (!ok && cli) throw cli.fail(result);
    if (!ok) {
      const tail = tailLines(result.stderr) || tailLines(result.stdout);
      throw new IacError(
        `${binary} ${step} failed with exit code ${result.exitCode}${tail ? `:\n${tail}` : ' and no output'}`,
        step,
        result.exitCode,
        tail,
      );
    }
    return result;
  }

  function startFailure(err: unknown, step: IacStep, file?: string): Error {
    const code = (err as { code?: unknown } | null)?.code;
    const program = file ? 'cdktn' : binary;
    if (options.signal?.aborted || code === 'ABORT_ERR') {
      return new IacError(`${program} ${step} was cancelled before it finished`, step);
    }
    if (file) {
      const message = err instanceof Error ? err.message : String(err);
      return new IacError(`cdktn synth could not be started (${file}): ${message}`, step);
    }
    const explicit = options.binary?.trim();
    if (code === 'ENOENT') {
      return new IacError(
        explicit ? `${binary} not found (check iac-binary)` : `${binary} not found on PATH (set iac-binary)`,
        step,
      );
    }
    if (code === 'EACCES') return new IacError(`${binary} is not executable (check iac-binary)`, step);
    const message = err instanceof Error ? err.message : String(err);
    return new IacError(`${binary} ${step} could not be started: ${message}`, step);
  }

  return {
    tool,
    binary,
    workingDir,
    synthDir,
    async synth() {
      if (tool !== 'cdktn') throw new UserError(`synth() is only for iac cdktn (this runner is ${tool}).`);
      const file = options.cdktnBinary?.trim() || findCdktnCli(cwd, options.repoRoot);
      if (!file) throw cdktnCliMissing(cwd);
      const result = await run('synth', ['synth', '--output', CDKTN_OUT], [0], {
        file,
        cwd,
        fail: (r) => synthFailure(r.exitCode, r.stdout, r.stderr),
      });
      assertStackSynthesised(cwd, options.stack as string);
      return result;
    },
    async init(extraArgs = []) {
      return run('init', ['init', ...COMMON, ...extraArgs], [0]);
    },
    async plan(outFile, extraArgs = []) {
      const result = await run(
        'plan',
        ['plan', ...COMMON, '-detailed-exitcode', `-out=${outFile}`, ...extraArgs],
        [0, 2],
      );
      return { ...result, changes: result.exitCode === 2, planFile: outFile };
    },
    async showJson(planFile) {
      const result = await run('show', ['show', '-json', '-no-color', planFile], [0]);
      try {
        return JSON.parse(result.stdout) as unknown;
      } catch {
        // The output is not quoted back: a half-written plan could still carry sensitive values.
        throw new IacError(
          `${binary} show -json ${planFile} did not print JSON (${result.stdout.length} characters of other output); is ${binary} a Terraform-compatible CLI?`,
          'show',
          result.exitCode,
          tailLines(result.stderr),
        );
      }
    },
    async apply(planFile, extraArgs = []) {
      // A saved plan was already reviewed and is applied as is; -auto-approve is only for a fresh plan.
      const args = planFile
        ? ['apply', ...COMMON, ...extraArgs, planFile]
        : ['apply', ...COMMON, '-auto-approve', ...extraArgs];
      return run('apply', args, [0]);
    },
  };
}
