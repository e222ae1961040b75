// Child programs of the sandbox (HAProxy, Prometheus, the bot...): started with their output kept for
// diagnostics, stopped with SIGTERM (SIGKILL after a grace period), and stopped all together on exit.
import { type ChildProcess, spawn } from 'node:child_process';

export interface RunningProcess {
  name: string;
  child: ChildProcess;
  /** Everything the program printed, last 64 KiB. */
  output(): string;
  exited(): boolean;
  stop(): Promise<void>;
}

export function startProcess(
  name: string,
  command: string,
  args: string[],
  options: { env?: Record<string, string | undefined>; cwd?: string } = {},
): RunningProcess {
  let output = '';
  const child = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: options.env ?? process.env,
    cwd: options.cwd,
  });
  const keep = (d: Buffer) => {
    output = (output + d.toString('utf8')).slice(-65_536);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let gone = false;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', () => {
      gone = true;
      resolve();
    });
    child.once('error', (err) => {
      output += `\n${err.message}`;
      gone = true;
      resolve();
    });
  });
  return {
    name,
    child,
    output: () => output,
    exited: () => gone,
    async stop() {
      if (gone) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exit;
      clearTimeout(timer);
    },
  };
}
