// A real HTTP server on 127.0.0.1 answering the GitHub REST + GraphQL subset the port uses, with
// per-call latency, fault injection, a call log and counters. Used by integration tests, the sandbox
// and the benchmarks. Start with `startGitHubDouble()`, always `close()` it.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { credentialChecker, type StrictCredentials } from './credentials.js';
import { handleGraphql, operationNameOf } from './graphql.js';
import { errorJson } from './json/base.js';
import { handleRest, INSTALLATION_TOKEN, type Reply, restRouteName } from './rest.js';
import { DoubleState } from './state.js';
import { serveWebView } from './web-view.js';

/** One injected failure: a status, optionally with `retry-after` (seconds) or an exhausted rate limit. */
export interface Fault {
  status: number;
  retryAfter?: number;
  /** Sends `x-ratelimit-remaining: 0` and a reset this many seconds ahead. */
  resetInSeconds?: number;
  message?: string;
}

export interface FaultPlan {
  /** Faults consumed one per call, in order; `null` lets that call through. */
  sequence?: (Fault | null)[];
  /** Chance of a fault on each call after the sequence is used up. */
  probability?: number;
  /** What a probabilistic fault is; rotates through these. Default: 502. */
  kinds?: Fault[];
  /** Only calls whose log name matches are subject to faults. */
  match?: (name: string) => boolean;
  random?: () => number;
}

export interface CallRecord {
  method: string;
  /** `PUT /repos/:o/:r/pulls/:n/merge` or `graphql FailoverSnapshot`. */
  name: string;
  /** The request path (no query): which PR or issue a call touched, for diagnostics. */
  path: string;
  status: number;
  startedAt: number;
  endedAt: number;
  faulted: boolean;
}

export interface GitHubDouble {
  url: string;
  state: DoubleState;
  calls: CallRecord[];
  /** Calls per log name. */
  counters(): Record<string, number>;
  /** Sequential round trips among the calls logged since index `from`: overlapping calls count once. */
  roundTrips(from?: number): number;
  setLatency(ms: number): void;
  setFaults(plan: FaultPlan | undefined): void;
  close(): Promise<void>;
}

export interface DoubleOptions {
  latencyMs?: number;
  faults?: FaultPlan;
  state?: DoubleState;
  /** For a state created here: how long mergeability stays `unknown` (default DoubleState's, 1,000 ms). */
  mergeabilityMs?: number;
  /**
   * GitHub's secondary rate limit on content-creating requests (POST, PATCH, PUT, DELETE and GraphQL
   * mutations) per token: at most `perMinute` in any 60 s; beyond that 403 with `retry-after`. Default
   * GitHub's documented 80 per minute; `false` turns it off.
   */
  secondaryLimit?: { perMinute: number } | false;
  /** Serves the read-only web view (web-view.ts) on GitHub's own paths next to the API. */
  webView?: boolean;
  /** Answer 401 "Bad credentials" to any token this GitHub did not issue (credentials.ts). */
  strictCredentials?: StrictCredentials;
}

export async function startGitHubDouble(opts: DoubleOptions = {}): Promise<GitHubDouble> {
  const state =
    opts.state ??
    new DoubleState(opts.mergeabilityMs !== undefined ? { mergeabilityMs: opts.mergeabilityMs } : {});
  const calls: CallRecord[] = [];
  const limit = opts.secondaryLimit ?? { perMinute: 80 };
  const limiter = limit ? secondaryLimiter(limit.perMinute) : undefined;
  // GitHub merges auto-merge and merge-queue PRs on its own once they can merge.
  const settler = setInterval(() => state.settle(), 25);
  settler.unref();
  const knownCredentials = opts.strictCredentials
    ? credentialChecker(opts.strictCredentials, { issued: state.issuedTokens, people: state.people })
    : undefined;
  let latencyMs = opts.latencyMs ?? 0;
  let faults = opts.faults;
  let sequenceIndex = 0;
  let kindIndex = 0;

  const pickFault = (name: string): Fault | undefined => {
    if (!faults || (faults.match && !faults.match(name))) return undefined;
    if (faults.sequence && sequenceIndex < faults.sequence.length)
      return faults.sequence[sequenceIndex++] ?? undefined;
    const random = faults.random ?? Math.random;
    if (faults.probability && random() < faults.probability) {
      const kinds = faults.kinds ?? [{ status: 502 }];
      return kinds[kindIndex++ % kinds.length];
    }
    return undefined;
  };

  const server = createServer((req, res) => {
    void serve(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, { status: 500, body: errorJson(500, String(err)) });
    });
  });

  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    if (opts.webView && serveWebView(state, req, res)) return;
    const startedAt = performance.now();
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://double');
    const method = req.method ?? 'GET';
    let body: Record<string, unknown> = {};
    try {
      body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    } catch {
      send(res, { status: 400, body: errorJson(400, 'Problems parsing JSON') });
      return;
    }
    const isGraphql = method === 'POST' && url.pathname.replace(/^\/api/, '') === '/graphql';
    const name = isGraphql
      ? `graphql ${operationNameOf(String(body.query ?? '')) ?? '(anonymous)'}`
      : restRouteName(method, url.pathname);
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    state.settle();
    const fault = pickFault(name);
    const token = (req.headers.authorization ?? '').replace(/^(token|bearer)\s+/i, '');
    const asApp = token.startsWith(INSTALLATION_TOKEN);
    const query = String(body.query ?? '');
    const writes = isGraphql ? /^\s*mutation\b/.test(query.replace(/^\s*#.*$/gm, '')) : method !== 'GET';
    const limited = writes ? limiter?.(req.headers.authorization ?? '') : undefined;
    let reply: Reply;
    if (knownCredentials && !knownCredentials(req.headers.authorization)) {
      reply = { status: 401, body: errorJson(401, 'Bad credentials') };
    } else if (fault) {
      reply = faultReply(fault);
    } else if (limited !== undefined) {
      reply = faultReply({ status: 403, retryAfter: limited });
    } else if (isGraphql) {
      reply = {
        status: 200,
        body: handleGraphql(state, query, (body.variables ?? {}) as Record<string, unknown>, { asApp }),
      };
    } else {
      const baseUrl = `http://${req.headers.host ?? '127.0.0.1'}`;
      reply = handleRest(state, {
        method,
        path: url.pathname.replace(/^\/api\/v3/, ''),
        query: url.searchParams,
        body,
        baseUrl,
        asApp,
        actor: personOf(state, req),
        token,
      }) ?? {
        status: 404,
        body: errorJson(404, `Not Found (the GitHub double does not implement ${method} ${url.pathname})`),
      };
    }
    calls.push({
      method,
      name,
      path: url.pathname,
      status: reply.status,
      startedAt,
      endedAt: performance.now(),
      faulted: fault !== undefined,
    });
    send(res, reply);
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    state,
    calls,
    counters() {
      const counts: Record<string, number> = {};
      for (const c of calls) counts[c.name] = (counts[c.name] ?? 0) + 1;
      return counts;
    },
    roundTrips(from = 0) {
      const spans = calls
        .slice(from)
        .map((c) => [c.startedAt, c.endedAt] as const)
        .sort((a, b) => a[0] - b[0]);
      let trips = 0;
      let end = Number.NEGATIVE_INFINITY;
      for (const [start, stop] of spans) {
        if (start >= end) trips++;
        end = Math.max(end, stop);
      }
      return trips;
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    setFaults(plan) {
      faults = plan;
      sequenceIndex = 0;
      kindIndex = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        clearInterval(settler);
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/**
 * A sliding 60 s window of content-creating requests per token. Returns undefined when the request may
 * go, else the seconds until the oldest request in the window leaves it (GitHub's retry-after).
 */
function secondaryLimiter(perMinute: number): (token: string) => number | undefined {
  const windows = new Map<string, number[]>();
  return (token) => {
    const now = Date.now();
    const recent = (windows.get(token) ?? []).filter((t) => now - t < 60_000);
    windows.set(token, recent);
    if (recent.length >= perMinute) return Math.max(1, Math.ceil((recent[0]! + 60_000 - now) / 1000));
    recent.push(now);
    return undefined;
  };
}

/** The person a personal token belongs to (`authorization: token <pat>`); the app for any other token. */
function personOf(state: DoubleState, req: IncomingMessage) {
  const token = /^(?:token|bearer)\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  return token ? state.people.get(token) : undefined;
}

function faultReply(f: Fault): Reply {
  const headers: Record<string, string> = {};
  if (f.retryAfter !== undefined) headers['retry-after'] = String(f.retryAfter);
  if (f.resetInSeconds !== undefined) {
    headers['x-ratelimit-remaining'] = '0';
    headers['x-ratelimit-reset'] = String(Math.ceil(Date.now() / 1000 + f.resetInSeconds));
  }
  const message =
    f.message ??
    (f.status === 403 || f.status === 429
      ? 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.'
      : 'Server Error');
  return { status: f.status, body: errorJson(f.status, message), headers };
}

function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { ...reply.headers };
  if (reply.body !== undefined) headers['content-type'] = 'application/json; charset=utf-8';
  res.writeHead(reply.status, headers);
  res.end(reply.body === undefined ? undefined : JSON.stringify(reply.body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
