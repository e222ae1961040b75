// Held connections (issue 8): 200 connections with made-up bearer tokens, each announcing a 1 MiB body and
// sending the first 64 KiB of it, all held open at once against one bot (bundled in a child process like
// the image, so its RSS is the bot's alone). Before the fix the bot buffered every body before comparing
// the token (≈ 200 MiB); now the token is compared on the headers and nothing of the body is kept.
// Figure:
// - held_connections_rss_growth_mb: peak VmRSS of the bot while the 200 connections are held (sampled
//   every 20 ms from /proc), minus its VmRSS after a warm-up (the same refusal path run 50 times, one
//   valid alert), in MiB.
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { startBotReplicas } from '../test/helpers/bot-replicas.js';
import { startGitHubDouble } from '../test/helpers/github-double/index.js';
import type { Figures } from './run.js';

const TOKEN = 'held-bench-token';
const CONNECTIONS = 200;
const DECLARED = 1024 * 1024;
const SENT = 64 * 1024;
const HOLD_MS = 2_000;

/** Opens a connection, sends the headers and `sent` bytes of the body, resolves when the answer arrived. */
function holdOne(url: string, token: string, sent: number): Promise<{ socket: Socket; status: number }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(
        [
          'POST /failover/v1/alerts/acme/infra HTTP/1.1',
          `Host: ${hostname}`,
          'Content-Type: application/json',
          `Authorization: Bearer ${token}`,
          `Content-Length: ${DECLARED}`,
          '',
          '',
        ].join('\r\n'),
      );
      socket.write(Buffer.alloc(sent, 0x20));
    });
    let status = 0;
    socket.once('data', (chunk) => {
      status = Number(/^HTTP\/1\.1 (\d{3})/.exec(chunk.toString('latin1'))?.[1] ?? 0);
      resolve({ socket, status });
    });
    // After its answer the bot closes the connection, so the rest of a large body fails to send (EPIPE):
    // that is the point, not an error. A connection closed without any answer resolves with status 0.
    socket.on('error', () => {});
    socket.once('close', () => resolve({ socket, status }));
  });
}

export default async function (): Promise<Figures> {
  const double = await startGitHubDouble();
  double.state.seedFromDirectory('acme', 'infra', 'examples/infra-repo');
  const bot = await startBotReplicas({
    githubUrl: double.url,
    count: 1,
    env: { FAILOVER_ALERT_TOKENS: TOKEN },
  });
  const url = bot.urls[0] ?? '';
  const sockets: Socket[] = [];
  let sampler: ReturnType<typeof bot.sampleRss> | undefined;
  try {
    // Warm-up: the refusal path and one real alert, so the baseline includes loaded code and caches.
    const alert = readFileSync('examples/alerts/alertmanager-region-down.json', 'utf8');
    await fetch(`${url}/failover/v1/alerts/acme/infra`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: alert,
    });
    for (let i = 0; i < 50; i++) {
      const { socket } = await holdOne(url, `warm-${i}`, 1024);
      socket.destroy();
    }
    await new Promise((r) => setTimeout(r, 500));
    const baseline = bot.rssBytes();
    sampler = bot.sampleRss(20);
    const held = await Promise.all(
      Array.from({ length: CONNECTIONS }, (_, i) => holdOne(url, `made-up-${i}`, SENT)),
    );
    sockets.push(...held.map((h) => h.socket));
    const statuses = new Set(held.map((h) => h.status));
    await new Promise((r) => setTimeout(r, HOLD_MS));
    const { peakBytes, samples } = sampler.stop();
    sampler = undefined;
    const growthMb = Math.max(0, peakBytes - baseline) / (1024 * 1024);
    process.stderr.write(
      `  ${CONNECTIONS} held connections, answers ${[...statuses].join(',')}; baseline ${(baseline / 1048576).toFixed(1)} MiB, peak ${(peakBytes / 1048576).toFixed(1)} MiB over ${samples} samples\n`,
    );
    if (statuses.size !== 1 || !statuses.has(403))
      throw new Error(`expected every answer to be 403, got ${[...statuses]}`);
    return {
      held_connections_rss_growth_mb: { value: Number(growthMb.toFixed(2)), unit: 'MiB', budget: 20 },
    };
  } finally {
    sampler?.stop();
    for (const s of sockets) s.destroy();
    await bot.close();
    await double.close();
  }
}
