// Process execution for the IaC runner: argv only (never a shell), output captured in memory and, when
// asked, handed over line by line as it arrives (the Action streams it into the step's log group).
import { spawn } from 'node:child_process';

export interface ExecOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  signal?: AbortSignal;
  /** Each line of stdout and stderr, as the process writes it. */
  onLine?: (line: string) => void;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `file` with `args`. Resolves with the exit code and output whatever the code is; rejects only
 * when the process could not be started (the error carries `code`, e.g. ENOENT or EACCES).
 */
export type ExecFn = (file: string, args: string[], options: ExecOptions) => Promise<ExecResult>;

/** Keeps the end of stderr only: Terraform puts the error last and a runaway log must not eat memory. */
const STDERR_KEEP = 256 * 1024;

export const spawnExec: ExecFn = (file, args, options) =>
  new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env,
      shell: false,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const stdout: Buffer[] = [];
    let stderr = '';
    const outLines = lineSplitter(options.onLine);
    const errLines = lineSplitter(options.onLine);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout.push(chunk);
      outLines.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      errLines.push(chunk);
      if (stderr.length > STDERR_KEEP * 2) stderr = stderr.slice(-STDERR_KEEP);
    });
    child.once('error', reject);
    child.once('close', (code, signal) => {
      outLines.end();
      errLines.end();
      resolve({
        // A process killed by a signal has no exit code; report it as a failure, never as success.
        exitCode: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: stderr.length > STDERR_KEEP ? stderr.slice(-STDERR_KEEP) : stderr,
      });
    });
  });

/** Cuts a byte stream into lines for `onLine` (a last line without a newline comes out at the end). */
export function lineSplitter(onLine: ((line: string) => void) | undefined) {
  let rest = '';
  return {
    push(chunk: Buffer) {
      if (!onLine) return;
      const lines = (rest + chunk.toString('utf8')).split(/\r?\n/);
      rest = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    },
    end() {
      if (onLine && rest) onLine(rest);
      rest = '';
    },
  };
}
