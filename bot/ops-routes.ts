// GET /healthz and GET /metrics. Health says the process serves requests; it deliberately does not call
// GitHub (a GitHub outage must not make the orchestrator restart every replica).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';

export function createOpsHandler(opts: { registry: Registry; version: string }) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const path = (req.url ?? '').split('?')[0];
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ ok: true, version: opts.version }));
      return true;
    }
    if (path === '/metrics') {
      const text = await opts.registry.metrics();
      res.writeHead(200, { 'content-type': opts.registry.contentType });
      res.end(text);
      return true;
    }
    return false;
  };
}
