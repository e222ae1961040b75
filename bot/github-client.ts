// The installation client handed to the GitHub port, timed for the latency histogram. Probot's Octokit
// plugins for retry and throttling are switched off in bot/server.ts: the port retries itself (bounded,
// honouring retry-after) and gives up quickly enough for the intake to answer 503, which makes the
// sender retry. Two retry layers would multiply calls during a storm and hold answers open for minutes.
import type { GitHubClient } from '../src/github/client.js';
import type { BotMetrics } from './metrics.js';

export function timedClient(client: GitHubClient, metrics: BotMetrics, now: () => number): GitHubClient {
  const observe = (route: string, started: number, status: number) =>
    metrics.githubCall.observe({ route, code: String(status) }, (now() - started) / 1000);
  const statusOf = (thrown: unknown) => {
    const s = (thrown as { status?: unknown } | null)?.status;
    return typeof s === 'number' ? s : 0;
  };
  return {
    async request(route, params) {
      const started = now();
      // Route templates ("GET /repos/{owner}/{repo}/pulls") keep the label set small; raw URLs would not.
      const label = route.includes('://') ? 'other' : route;
      try {
        const res = await client.request(route, params);
        observe(label, started, res.status);
        return res;
      } catch (thrown: unknown) {
        observe(label, started, statusOf(thrown));
        throw thrown;
      }
    },
    async graphql(query, vars) {
      const started = now();
      // One POST /graphql carries every operation; the operation name says which (a fixed set: the port's).
      const label = graphqlLabel(query);
      try {
        const data = await client.graphql(query, vars);
        observe(label, started, 200);
        return data;
      } catch (thrown: unknown) {
        observe(label, started, statusOf(thrown) || 200);
        throw thrown;
      }
    },
  };
}

/** `graphql FailoverSnapshot` for a named operation; `graphql` for an anonymous one. */
export function graphqlLabel(query: string): string {
  const name = /^\s*(?:query|mutation)\s+([A-Za-z_]\w*)/.exec(query.replace(/^\s*#.*$/gm, ''))?.[1];
  return name ? `graphql ${name}` : 'graphql';
}
