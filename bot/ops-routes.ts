// GET /healthz and GET /metrics. Health says the process serves requests; it deliberately does not call
// GitHub (a GitHub outage must not make the orchestrator restart every replica). With METRICS_PORT set,
// /metrics moves to its own listener (which also answers /healthz) and the public port stops serving it:
// the alert endpoint has to face the internet, the metrics need not.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';

export interface OpsOptions {
  registry: Registry;
  version: string;
  /** False when /metrics is served on its own port instead. */
  serveMetrics?: boolean;
}

export function createOpsHandler(opts: OpsOptions) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const path = (req.url ?? '').split('?')[0];
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ ok: true, version: opts.version }));
      return true;
    }
    if (path === '/metrics' && opts.serveMetrics !== false) {
      const text = await opts.registry.metrics();
      res.writeHead(200, { 'content-type': opts.registry.contentType });
      res.end(text);
      return true;
    }
    return false;
  };
}

/**
 * The metrics listener for METRICS_PORT (host METRICS_HOST, default all interfaces). Unref'd: it never
 * keeps the process alive on its own, the bot's main server does.
 */
export function startMetricsServer(opts: {
  registry: Registry;
  version: string;
  port: number;
  host?: string | undefined;
}): Promise<Server> {
  const handler = createOpsHandler({ registry: opts.registry, version: opts.version });
  const server = createServer((req, res) => {
    handler(req, res).then(
      (answered) => {
        if (!answered) {
          res.writeHead(404, { 'content-type': 'text/plain' });
          res.end('not found: this port serves GET /metrics and /healthz\n');
        }
      },
      () => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      },
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.unref();
      resolve(server);
    });
  });
}
