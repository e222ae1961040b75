// Bot replicas in a child process, for benchmarks that measure the bot's own memory: the child runs only
// the bot instances (bot-replicas-child.ts), bundled with esbuild the way the container image is (no tsx
// loader thread in the measured process); the GitHub double and the load generator stay in the caller.
// RSS is read from /proc/<pid>/status by the caller, so sampling never waits on the child's event loop.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { ReplicaSettings } from './bot-replicas-child.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');

export interface BotReplicas {
  urls: string[];
  pid: number;
  /** Current resident set of the child (VmRSS), in bytes. */
  rssBytes(): number;
  /** The kernel's high-water mark of the child's resident set (VmHWM), in bytes. */
  hwmBytes(): number;
  /** Samples VmRSS every `intervalMs` until the returned stop() is called; stop() gives the peak. */
  sampleRss(intervalMs: number): { stop(): { peakBytes: number; samples: number } };
  /** Stops the servers (SIGTERM) and waits for the child to exit; resolves with its log line count. */
  close(): Promise<{ logLines: number }>;
}

let bundled: Promise<string> | undefined;

/** Bundles the child once per process into .tmp/ (git-ignored); packages stay in node_modules. */
function bundleChild(): Promise<string> {
  bundled ??= (async () => {
    const outfile = join(root, '.tmp', 'bench-e2e', 'bot-replicas-child.mjs');
    mkdirSync(dirname(outfile), { recursive: true });
    await build({
      entryPoints: [join(here, 'bot-replicas-child.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node24',
      format: 'esm',
      packages: 'external',
      logLevel: 'warning',
    });
    return outfile;
  })();
  return bundled;
}

function procStatusBytes(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1];
  if (kb === undefined) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(kb) * 1024;
}

export async function startBotReplicas(settings: ReplicaSettings): Promise<BotReplicas> {
  const script = await bundleChild();
  const child: ChildProcess = spawn(process.execPath, [script, JSON.stringify(settings)], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const messages: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  lines.on('line', (line) => {
    try {
      messages.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      return;
    }
    for (const w of waiters.splice(0)) w();
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const message = (key: string, timeoutMs: number) =>
    new Promise<Record<string, unknown>>((res, rej) => {
      const timer = setTimeout(
        () => rej(new Error(`bot replicas: no "${key}" after ${timeoutMs} ms`)),
        timeoutMs,
      );
      const check = () => {
        const found = messages.find((m) => m[key] === true);
        if (found) {
          clearTimeout(timer);
          res(found);
        } else waiters.push(check);
      };
      void exited.then((code) => {
        clearTimeout(timer);
        rej(new Error(`bot replicas exited (code ${code}) before "${key}"`));
      });
      check();
    });
  const ready = await message('ready', 30_000);
  const pid = child.pid ?? 0;
  return {
    urls: ready.urls as string[],
    pid,
    rssBytes: () => procStatusBytes(pid, 'VmRSS'),
    hwmBytes: () => procStatusBytes(pid, 'VmHWM'),
    sampleRss(intervalMs) {
      let peak = procStatusBytes(pid, 'VmRSS');
      let samples = 1;
      const timer = setInterval(() => {
        peak = Math.max(peak, procStatusBytes(pid, 'VmRSS'));
        samples++;
      }, intervalMs);
      return {
        stop() {
          clearInterval(timer);
          peak = Math.max(peak, procStatusBytes(pid, 'VmRSS'));
          return { peakBytes: peak, samples: samples + 1 };
        },
      };
    },
    async close() {
      if (child.exitCode !== null) return { logLines: 0 };
      const stopped = message('stopped', 15_000).catch(() => ({ logLines: 0 }));
      child.kill('SIGTERM');
      const result = await stopped;
      await exited;
      return { logLines: Number(result.logLines ?? 0) };
    },
  };
}
