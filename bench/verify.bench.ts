// verify_concurrency_ratio: 50 checks against local HTTP servers that answer after 200 ms, run by one
// runChecks call. Total wall time divided by the slowest single check: 1.0 is perfect concurrency,
// 50 would be sequential. Budget 1.5 (DESIGN §9: "about the time of the slowest one").
import { createServer, type Server } from 'node:http';
import { checkSchema } from '../src/core/config/schema.js';
import { runChecks } from '../src/verify/index.js';
import type { Figures } from './run.js';

const CHECKS = 50;
const SERVERS = 5;
const LATENCY_MS = 200;
const ROUNDS = 5;

async function startSlowServer(): Promise<{ server: Server; url: string }> {
  const server = createServer((_req, res) => {
    setTimeout(() => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'), LATENCY_MS);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { server, url: `http://127.0.0.1:${port}` };
}

export default async function (): Promise<Figures> {
  const servers = await Promise.all(Array.from({ length: SERVERS }, startSlowServer));
  try {
    const checks = Array.from({ length: CHECKS }, (_, i) =>
      checkSchema.parse({
        name: `slow-${i}`,
        failure_limit: 0,
        http: { url: `${servers[i % SERVERS]?.url}/healthz?check=${i}`, body: '^ok$' },
      }),
    );
    const ratios: number[] = [];
    for (let round = 0; round <= ROUNDS; round++) {
      const started = performance.now();
      const report = await runChecks(checks, { target: 'bench', timeoutMs: 30_000 });
      const total = performance.now() - started;
      if (!report.ok) throw new Error(`a bench check failed: ${report.checks.find((c) => !c.ok)?.message}`);
      const slowest = Math.max(...report.checks.map((c) => c.attempts.reduce((sum, a) => sum + a.ms, 0)));
      if (round > 0) ratios.push(total / slowest); // round 0 warms up connections and the JIT
    }
    ratios.sort((a, b) => a - b);
    const median = ratios[Math.floor(ratios.length / 2)] ?? Number.NaN;
    return { verify_concurrency_ratio: { value: Number(median.toFixed(3)), unit: 'ratio', budget: 1.5 } };
  } finally {
    for (const { server } of servers) {
      server.closeAllConnections();
      server.close();
    }
  }
}
