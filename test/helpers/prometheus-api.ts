// A local HTTP server speaking Prometheus's instant-query API (`GET|POST /api/v1/query`) with canned
// results, in the exact JSON shapes Prometheus returns: vector, scalar, empty vector, NaN samples and
// error bodies (`{"status":"error","errorType":"bad_data","error":"..."}` with HTTP 400/422/503).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

export type PromValue = number | string;

export type PromResult =
  | { kind: 'vector'; series: { metric?: Record<string, string>; value: PromValue }[] }
  | { kind: 'scalar'; value: PromValue }
  | { kind: 'matrix'; series: { metric?: Record<string, string>; values: PromValue[] }[] }
  | { kind: 'error'; errorType: string; error: string; httpStatus: number };

/** Builders for canned results. Values are numbers or Prometheus's own strings (`NaN`, `+Inf`). */
export const prom = {
  vector: (...series: { metric?: Record<string, string>; value: PromValue }[]): PromResult => ({
    kind: 'vector',
    series,
  }),
  series: (metric: Record<string, string>, value: PromValue) => ({ metric, value }),
  scalar: (value: PromValue): PromResult => ({ kind: 'scalar', value }),
  empty: (): PromResult => ({ kind: 'vector', series: [] }),
  nan: (metric: Record<string, string> = {}): PromResult => ({
    kind: 'vector',
    series: [{ metric, value: 'NaN' }],
  }),
  matrix: (metric: Record<string, string>, ...values: PromValue[]): PromResult => ({
    kind: 'matrix',
    series: [{ metric, values }],
  }),
  error: (error: string, errorType = 'bad_data', httpStatus = 400): PromResult => ({
    kind: 'error',
    errorType,
    error,
    httpStatus,
  }),
};

export interface RunningPrometheusApi {
  /** Base URL, as a prometheus check's `url` takes it. */
  url: string;
  /** Every query received, in order. */
  queries: string[];
  /** Authorization headers received, in order (to assert credentials were sent). */
  authorizations: (string | undefined)[];
  /** Sets the result(s) for a query; a list is served in order, its last item repeating. */
  set(query: string, result: PromResult | PromResult[]): void;
  close(): Promise<void>;
}

/** Unknown queries get an empty vector, which is what Prometheus answers for a missing series. */
export async function startPrometheusApi(
  results: Record<string, PromResult | PromResult[]> = {},
): Promise<RunningPrometheusApi> {
  const table = new Map<string, PromResult[]>();
  const served = new Map<string, number>();
  const set = (q: string, r: PromResult | PromResult[]) => {
    table.set(q, Array.isArray(r) ? r : [r]);
    served.set(q, 0);
  };
  for (const [q, r] of Object.entries(results)) set(q, r);
  const queries: string[] = [];
  const authorizations: (string | undefined)[] = [];

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/api/v1/query')
      return send(res, 404, { status: 'error', errorType: 'not_found', error: 'not found' });
    const params = req.method === 'POST' ? new URLSearchParams(await readBody(req)) : url.searchParams;
    const query = params.get('query');
    authorizations.push(req.headers.authorization);
    if (query === null)
      return send(res, 400, { status: 'error', errorType: 'bad_data', error: 'query missing' });
    queries.push(query);
    const list = table.get(query) ?? [prom.empty()];
    const index = served.get(query) ?? 0;
    served.set(query, index + 1);
    const result = list[Math.min(index, list.length - 1)] ?? prom.empty();
    const at = Date.now() / 1000;
    if (result.kind === 'error') {
      return send(res, result.httpStatus, {
        status: 'error',
        errorType: result.errorType,
        error: result.error,
      });
    }
    send(res, 200, { status: 'success', data: toData(result, at) });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    queries,
    authorizations,
    set,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function toData(result: Exclude<PromResult, { kind: 'error' }>, at: number): unknown {
  switch (result.kind) {
    case 'scalar':
      return { resultType: 'scalar', result: [at, String(result.value)] };
    case 'vector':
      return {
        resultType: 'vector',
        result: result.series.map((s) => ({ metric: s.metric ?? {}, value: [at, String(s.value)] })),
      };
    case 'matrix':
      return {
        resultType: 'matrix',
        result: result.series.map((s) => ({
          metric: s.metric ?? {},
          values: s.values.map((v, i) => [at - (s.values.length - i) * 15, String(v)]),
        })),
      };
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
