// Real local servers for probe tests: an HTTP server driven by per-path routes (statuses, slow
// answers, JSON bodies, redirects, sequences for flapping), a TCP listener, and a port nobody listens on.
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { freePort } from './ports.js';

export interface Reply {
  status?: number;
  body?: string;
  json?: unknown;
  headers?: Record<string, string>;
  /** Answer after this many milliseconds (the timer is dropped if the client goes away). */
  delayMs?: number;
}
/** A fixed reply, a list served in order (the last repeating), or a function of the request. */
export type Route = Reply | Reply[] | ((req: IncomingMessage) => Reply | Promise<Reply>);

export interface RunningHttpTarget {
  url: string;
  /** Requests received per path, with their headers (to assert what a probe sent). */
  requests: { path: string; method: string; headers: IncomingMessage['headers'] }[];
  close(): Promise<void>;
}

export async function startHttpTarget(routes: Record<string, Route>): Promise<RunningHttpTarget> {
  const counters = new Map<string, number>();
  const requests: RunningHttpTarget['requests'] = [];
  const server = createHttpServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    requests.push({ path, method: req.method ?? 'GET', headers: req.headers });
    const route = routes[path];
    if (route === undefined) return reply(res, { status: 404, body: 'no such route' });
    if (typeof route === 'function') {
      void Promise.resolve(route(req)).then((r) => answer(res, r));
      return;
    }
    let chosen: Reply;
    if (Array.isArray(route)) {
      const n = counters.get(path) ?? 0;
      counters.set(path, n + 1);
      chosen = route[Math.min(n, route.length - 1)] ?? {};
    } else chosen = route;
    answer(res, chosen);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function answer(res: ServerResponse, r: Reply): void {
  if (!r.delayMs) {
    reply(res, r);
    return;
  }
  const timer = setTimeout(() => reply(res, r), r.delayMs);
  res.on('close', () => clearTimeout(timer));
}

function reply(res: ServerResponse, r: Reply): void {
  if (res.destroyed) return;
  const headers: Record<string, string> = { ...(r.headers ?? {}) };
  let body = r.body ?? '';
  if (r.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(r.json);
  }
  res.writeHead(r.status ?? 200, headers);
  res.end(body);
}

export interface RunningTcpTarget {
  host: string;
  port: number;
  connections: () => number;
  close(): Promise<void>;
}

/** Accepts connections and closes them at once. */
export async function startTcpTarget(): Promise<RunningTcpTarget> {
  let count = 0;
  const server = createTcpServer((socket) => {
    count++;
    socket.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    host: '127.0.0.1',
    port,
    connections: () => count,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A loopback port with nothing listening (it was free a moment ago and nothing here binds it). */
export async function closedPort(): Promise<number> {
  return freePort();
}
