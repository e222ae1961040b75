// A CliIo for in-process CLI tests: output captured, a fixed clock, and files either read from the real
// disk (relative to the project root) or from an in-memory map standing in for a whole repo.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { posix } from 'node:path';
import type { CliIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/run.js';

export interface CapturedIo extends CliIo {
  out: string[];
  err: string[];
}

export function captureIo(
  opts: { files?: Record<string, string>; now?: string; env?: Record<string, string> } = {},
) {
  const { files } = opts;
  const norm = (p: string) => posix.normalize(p);
  const enoent = (path: string) =>
    Object.assign(new Error(`ENOENT: no such file, open '${path}'`), { code: 'ENOENT' });
  const io: CapturedIo = {
    out: [],
    err: [],
    stdout: (text) => void io.out.push(text),
    stderr: (text) => void io.err.push(text),
    readFile: (path) => {
      if (!files) return readFileSync(path, 'utf8');
      const text = files[norm(path)];
      if (text === undefined) throw enoent(path);
      return text;
    },
    exists: (path) => {
      if (!files) return existsSync(path);
      const p = norm(path);
      return p in files || Object.keys(files).some((f) => f.startsWith(`${p}/`));
    },
    now: () => opts.now ?? '2026-11-26T03:10:00.000Z',
    env: opts.env ?? {},
    git: (cwd, args) => {
      if (files) throw new Error('no git in an in-memory repo');
      return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    },
  };
  return io;
}

/** Runs the CLI in-process: exit code plus everything written to stdout and stderr. */
export async function runInProcess(argv: string[], opts: Parameters<typeof captureIo>[0] = {}) {
  const io = captureIo(opts);
  const code = await runCli(argv, io);
  return { code, stdout: io.out.join(''), stderr: io.err.join('') };
}
