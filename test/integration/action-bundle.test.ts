// The committed bundle is what GitHub runs: execute `node dist/action/index.js` as a child process with a
// runner's environment (verify on a tiny repo, one local HTTP check, no token) and read its outputs.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionEnv, checkoutConfig, makeInfraRepo, parseOutputFile } from '../helpers/action-harness.js';
import { startGitHubDouble } from '../helpers/github-double/index.js';
import { type RunningHttpTarget, startHttpTarget } from '../helpers/probe-targets.js';

const BUNDLE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'action', 'index.js');

let http: RunningHttpTarget;
beforeAll(async () => {
  http = await startHttpTarget({
    '/us-west-2/healthz': { status: 200 },
    '/us-east-1/healthz': { status: 503 },
  });
});
afterAll(() => http.close());

/** Runs the bundle; async so this process's HTTP server can answer the child's checks meanwhile. */
function runBundle(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BUNDLE],
      { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, timeout: 20_000 },
      (err, stdout, stderr) => {
        const code = err ? Number((err as { code?: unknown }).code ?? 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('the bundled Action (dist/action/index.js)', () => {
  it.each([
    { to: 'us-west-2', code: 0, verified: 'true' },
    { to: 'us-east-1', code: 1, verified: 'false' },
  ])('verify on $to exits $code with verified=$verified', async ({ to, code, verified }) => {
    expect(existsSync(BUNDLE), 'run `node scripts/build.mjs` first').toBe(true);
    const from = to === 'us-west-2' ? 'us-east-1' : 'us-west-2';
    const repo = makeInfraRepo(checkoutConfig({ httpBase: http.url, verifyTimeout: '5s' }), { from, to });
    const scratch = mkdtempSync(join(tmpdir(), 'failover-bundle-run-'));
    try {
      const env = actionEnv(
        { command: 'verify', workspace: repo.dir, eventName: 'schedule', payload: {}, sha: repo.after },
        scratch,
      );
      const before = http.requests.length;
      const run = await runBundle(env);
      expect(run.code, run.stdout + run.stderr).toBe(code);
      const outputs = parseOutputFile(readFileSync(join(scratch, 'output'), 'utf8'));
      expect(outputs).toEqual({
        'changed-services': '',
        'plan-summary': '',
        verified,
        'rto-seconds': '',
      });
      expect(http.requests.slice(before).every((q) => q.path === `/${to}/healthz`)).toBe(true);
      expect(http.requests.length).toBeGreaterThan(before);
      expect(readFileSync(join(scratch, 'summary'), 'utf8')).toContain(`#### checkout on ${to}`);
    } finally {
      repo.cleanup();
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('reports to GitHub over real HTTP with the bundled Octokit (the GitHub double as the API)', async () => {
    const double = await startGitHubDouble();
    const ghRepo = double.state.seed('o', 'r', { 'README.md': 'infra\n' });
    const repo = makeInfraRepo(checkoutConfig({ httpBase: http.url, verifyTimeout: '5s' }));
    const scratch = mkdtempSync(join(tmpdir(), 'failover-bundle-run-'));
    try {
      const env = actionEnv(
        {
          command: 'verify',
          workspace: repo.dir,
          eventName: 'workflow_dispatch',
          payload: {},
          sha: repo.after,
          inputs: { 'github-token': 'ghs_bundleToken0123456789' },
          env: { GITHUB_API_URL: double.url },
        },
        scratch,
      );
      const run = await runBundle(env);
      expect(run.code, run.stdout + run.stderr).toBe(0);
      const lines = run.stdout.split('\n');
      expect(lines).toContain('::add-mask::ghs_bundleToken0123456789');
      expect(lines.filter((l) => l.includes('ghs_bundleToken') && !l.startsWith('::add-mask::'))).toEqual([]);
      const checks = [...ghRepo.checkRuns.values()];
      expect(checks).toHaveLength(1);
      expect(checks[0]).toMatchObject({
        name: 'gitops-failover/health',
        head_sha: repo.after,
        conclusion: 'success',
        details_url: 'https://github.com/o/r/actions/runs/1234',
      });
      expect(double.calls.map((c) => c.name)).toEqual(['POST /repos/:o/:r/check-runs']);
    } finally {
      repo.cleanup();
      rmSync(scratch, { recursive: true, force: true });
      await double.close();
    }
  });
  it("behind a corporate proxy, sends GitHub calls through HTTP_PROXY with @actions/github's proxy-aware fetch", async () => {
    const double = await startGitHubDouble();
    const ghRepo = double.state.seed('o', 'r', { 'README.md': 'infra\n' });
    const proxy = await startTunnelProxy(new URL(double.url));
    const repo = makeInfraRepo(checkoutConfig({ httpBase: http.url, verifyTimeout: '5s' }));
    const scratch = mkdtempSync(join(tmpdir(), 'failover-bundle-run-'));
    try {
      const env = actionEnv(
        {
          command: 'verify',
          workspace: repo.dir,
          eventName: 'workflow_dispatch',
          payload: {},
          sha: repo.after,
          inputs: { 'github-token': 'ghs_bundleToken0123456789' },
          // A GHES host only the proxy can reach; the checks' own loopback target is never proxied.
          env: { GITHUB_API_URL: 'http://ghes.corp.example', HTTP_PROXY: proxy.url },
        },
        scratch,
      );
      const run = await runBundle(env);
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(proxy.tunnels).toEqual(['ghes.corp.example:80']);
      expect([...ghRepo.checkRuns.values()].map((c) => c.conclusion)).toEqual(['success']);
    } finally {
      repo.cleanup();
      rmSync(scratch, { recursive: true, force: true });
      await proxy.close();
      await double.close();
    }
  });
});

/** An HTTP proxy that tunnels every CONNECT to `upstream` and records the host:port it was asked for. */
async function startTunnelProxy(
  upstream: URL,
): Promise<{ url: string; tunnels: string[]; close(): Promise<void> }> {
  const tunnels: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((_req, res) => {
    res.writeHead(405).end('this proxy only tunnels (CONNECT)');
  });
  server.on('connect', (req, client: Socket, head: Buffer) => {
    tunnels.push(req.url ?? '');
    const target = connect(Number(upstream.port), upstream.hostname, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      target.write(head);
      target.pipe(client);
      client.pipe(target);
    });
    for (const s of [client, target]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tunnels,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
