// The two region services of the sandbox: small HTTP servers that answer /healthz and any other path
// with the region's name, as a regional deployment of "checkout" would. The demo stops one (connections
// refused, as a dead region), breaks one (answers 503) or brings it back.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type RegionMode = 'up' | 'broken' | 'stopped';

export interface RegionService {
  region: string;
  port: number;
  url: string;
  mode(): RegionMode;
  stop(): Promise<void>;
  /** Keeps listening but answers 503 to everything (a deployment that came up broken). */
  break(): void;
  /** Serves again on the same port. */
  start(): Promise<void>;
}

export async function startRegion(region: string, port = 0): Promise<RegionService> {
  let mode: RegionMode = 'stopped';
  let server: Server | undefined;
  let boundPort = port;
  const listen = async () => {
    const s = createServer((req, res) => {
      const healthy = mode === 'up';
      const path = (req.url ?? '/').split('?')[0];
      res.setHeader('x-region', region);
      if (path === '/healthz') {
        res.writeHead(healthy ? 200 : 503, { 'content-type': 'text/plain' });
        res.end(healthy ? 'ok\n' : 'unhealthy\n');
        return;
      }
      res.writeHead(healthy ? 200 : 503, { 'content-type': 'application/json' });
      res.end(`${JSON.stringify({ service: 'checkout', region, ok: healthy })}\n`);
    });
    s.keepAliveTimeout = 1_000;
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(boundPort, '127.0.0.1', () => resolve());
    });
    boundPort = (s.address() as AddressInfo).port;
    server = s;
    mode = 'up';
  };
  await listen();
  return {
    region,
    get port() {
      return boundPort;
    },
    get url() {
      return `http://127.0.0.1:${boundPort}`;
    },
    mode: () => mode,
    async stop() {
      const s = server;
      server = undefined;
      mode = 'stopped';
      if (!s) return;
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    break() {
      mode = 'broken';
    },
    async start() {
      if (server) {
        mode = 'up';
        return;
      }
      await listen();
    },
  };
}
