// Everything the CLI touches in the outside world, behind one small interface so commands can be
// tested in-process with fake files, a fixed clock and captured output.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Reads a UTF-8 file (relative paths from cwd; `-` is stdin); throws the fs error when it cannot. */
  readFile(path: string): string;
  exists(path: string): boolean;
  /** Current time as ISO-8601; commands that simulate take `--now` instead when given. */
  now(): string;
  env: Record<string, string | undefined>;
  /** Runs git in `cwd` and returns its stdout; throws (with git's stderr) when git fails. */
  git(cwd: string, args: string[]): string;
}

export function nodeIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    // `-` is standard input, so a payload can be piped in: `curl ... | failover simulate --alert -`.
    readFile: (path) => readFileSync(path === '-' ? 0 : resolve(path), 'utf8'),
    exists: (path) => existsSync(resolve(path)),
    now: () => new Date().toISOString(),
    env: process.env,
    git: (cwd, args) =>
      execFileSync('git', args, {
        cwd,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        maxBuffer: 16 << 20,
      }),
  };
}
