// pull_request.closed: a person merged a failover PR, or closed it without merging. Either way the PR's
// timeline says so at once (when and by whom), instead of waiting for the Action's result (a merge) or
// never saying it (a close). Only PRs from the repo's own failover/* branches with a readable marker are
// touched; anything else costs no API call.
import {
  parseMarker,
  replaceTimeline,
  TIMELINE_END,
  TIMELINE_START,
  type TimelineEvents,
} from '../core/render/index.js';
import type { GitHubPort } from '../github/index.js';
import type { ServiceDeps } from './alerts.js';

export interface PrClosedEvent {
  owner: string;
  repo: string;
  number: number;
  body: string;
  headRef: string;
  /** The head branch lives in this repo (not a fork). */
  sameRepo: boolean;
  merged: boolean;
  mergedAt?: string | null;
  closedAt?: string | null;
  /** Who merged or closed it. */
  by: { login: string; type?: string };
}

export type PrClosedOutcome =
  | { handled: false; why: string }
  | { handled: true; pr: number; merged: boolean };

export function createPrClosedService(deps: ServiceDeps<Pick<GitHubPort, 'updatePrBody'>>) {
  return {
    async onClosed(ev: PrClosedEvent): Promise<PrClosedOutcome> {
      if (!ev.sameRepo || !ev.headRef.startsWith('failover/'))
        return { handled: false, why: 'not a failover branch' };
      const marker = parseMarker(ev.body);
      if (!marker) return { handled: false, why: 'no failover marker' };
      const at = (ev.merged ? ev.mergedAt : ev.closedAt) ?? new Date(deps.now()).toISOString();
      const who = ev.by.type === 'Bot' ? undefined : `by @${ev.by.login}`;
      const events: TimelineEvents = ev.merged
        ? { merged: at, ...(who ? { notes: { merged: who } } : {}) }
        : { closed: at, ...(who ? { notes: { closed: who } } : {}) };
      const body = keepSeenRecords(ev.body, replaceTimeline(ev.body, marker, events));
      if (body === ev.body) return { handled: false, why: 'timeline already says so' };
      const port = await deps.portFor(ev.owner, ev.repo);
      await port.updatePrBody(ev.number, body);
      deps.log.info({
        event: ev.merged ? 'failover_pr_merged' : 'failover_pr_closed',
        repo: `${ev.owner}/${ev.repo}`,
        pr: ev.number,
        by: ev.by.login,
      });
      return { handled: true, pr: ev.number, merged: ev.merged };
    },
  };
}

/** Hidden records the results loop left inside the old timeline section survive the re-render. */
function keepSeenRecords(before: string, after: string): string {
  const start = before.indexOf(TIMELINE_START);
  const end = before.indexOf(TIMELINE_END, start);
  if (start < 0 || end < 0) return after;
  const hidden = before
    .slice(start + TIMELINE_START.length, end)
    .split('\n')
    .filter((line) => line.startsWith('<!-- gitops-failover:'));
  if (hidden.length === 0) return after;
  return after.replace(TIMELINE_END, `${hidden.join('\n')}\n${TIMELINE_END}`);
}
