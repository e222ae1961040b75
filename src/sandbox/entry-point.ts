// The traffic entry point: HAProxy (Debian's haproxy) in master-worker mode. Which region it sends
// checkout to is one line in a map file; the Terraform root writes that line and sends the master
// SIGUSR2, HAProxy's graceful reload (new workers take new connections, old ones finish theirs).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, waitFor } from './ports.js';
import { type RunningProcess, startProcess } from './processes.js';

export const HAPROXY_BIN = '/usr/sbin/haproxy';

export interface EntryPoint {
  kind: 'haproxy' | 'built-in proxy';
  url: string;
  /** `checkout <region>`: the line Terraform writes. */
  mapFile: string;
  /** The process that reloads on SIGUSR2. */
  pidFile: string;
  /** The region the running proxy routes to, as its map file says. */
  backend(): string | undefined;
  process: RunningProcess;
  stop(): Promise<void>;
}

export function readBackend(mapFile: string): string | undefined {
  try {
    return /^checkout\s+(\S+)/m.exec(readFileSync(mapFile, 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}

function haproxyConfig(port: number, mapFile: string, regions: Record<string, string>): string {
  const backends = Object.entries(regions).map(
    ([region, address]) => `backend ${region}\n  server ${region} ${address}\n`,
  );
  return `global
  log stderr format raw local0 warning

defaults
  mode http
  log global
  timeout connect 500ms
  timeout client 10s
  timeout server 5s
  retries 0

frontend checkout
  bind 127.0.0.1:${port}
  # /<region>/... reaches that region directly (what <region>.checkout.example.com is in the example):
  # health checks and preflight name the region they probe.
  acl direct path_reg ^/(${Object.keys(regions).join('|')})/
  http-request set-var(txn.region) path,field(2,/) if direct
  http-request set-path %[path,regsub(^/[^/]+/,/)] if direct
  # The path was rewritten above, so \`direct\` no longer matches here: route on the variable it set.
  use_backend %[var(txn.region)] if { var(txn.region) -m found }
  # Everything else goes to the active region: one line of the map file, written by terraform.
  use_backend %[str(checkout),map(${mapFile})]

${backends.join('\n')}`;
}

/** Starts HAProxy routing checkout to `active`; `regions` maps each region to its host:port. */
export function startHaproxy(
  dir: string,
  regions: Record<string, string>,
  active: string,
): Promise<EntryPoint> {
  return startEntryPoint('haproxy', dir, active, (port, mapFile) => {
    const config = join(dir, 'haproxy.cfg');
    writeFileSync(config, haproxyConfig(port, mapFile, regions));
    // -W master-worker (reload = SIGUSR2 to the master), -db stays in the foreground under our control.
    return startProcess('haproxy', HAPROXY_BIN, ['-W', '-db', '-f', config]);
  });
}

/**
 * What every entry point shares: a free port, the map file holding `checkout <active>`, the pid file
 * Terraform's local-exec signals, and a wait until it answers (stopped again, with its output, if not).
 */
export async function startEntryPoint(
  kind: EntryPoint['kind'],
  dir: string,
  active: string,
  launch: (port: number, mapFile: string) => RunningProcess,
): Promise<EntryPoint> {
  const port = await freePort();
  const mapFile = join(dir, 'checkout.map');
  const pidFile = join(dir, `${kind.replace(/\W+/g, '-')}.pid`);
  writeFileSync(mapFile, `checkout ${active}\n`);
  const proc = launch(port, mapFile);
  writeFileSync(pidFile, `${proc.child.pid}\n`);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(
      async () => {
        if (proc.exited()) throw new Error(`${kind} exited: ${proc.output()}`);
        return (await fetch(`${url}/healthz`)).status > 0;
      },
      20_000,
      `${kind} to listen`,
    );
  } catch (err) {
    await proc.stop();
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n${proc.output()}`);
  }
  return {
    kind,
    url,
    mapFile,
    pidFile,
    backend: () => readBackend(mapFile),
    process: proc,
    stop: () => proc.stop(),
  };
}
