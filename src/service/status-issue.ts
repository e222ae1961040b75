// The repo's status issue, kept current: the first refused automatic decision opens it; after that each
// handled notification (and each refused follow-up) is noted, and the issue is rewritten from a fresh
// snapshot at most once per interval per repo. What arrives inside the interval is written once at its end, so an alert storm edits the issue
// once a minute, not once per notification, and the latest refusal is never lost. Off the answer's path.
import { formatDuration } from '../core/duration.js';
import { describeThrown } from '../core/errors.js';
import {
  mergeRefusals,
  parseStatusRecord,
  type RefusalRecord,
  type Refusals,
  renderStatusIssue,
  STATUS_ISSUE_TITLE,
} from '../core/render/index.js';
import type { Decision } from '../core/types.js';
import { type GitHubPort, STATUS_LABEL, type StatusIssue } from '../github/index.js';
import type { ServiceLogger } from './alerts.js';
import { createKeyedQueue } from './single-flight.js';

export type StatusIssuePort = Pick<
  GitHubPort,
  'readSnapshot' | 'findStatusIssue' | 'createStatusIssue' | 'updateIssueBody' | 'closeIssue'
>;

export interface StatusIssueDeps {
  portFor(owner: string, repo: string): StatusIssuePort | Promise<StatusIssuePort>;
  now(): number;
  log: ServiceLogger;
  /** At most one edit per repo this often (default 60 s). */
  minIntervalMs?: number;
  /** Runs the write at the end of an interval; default a timer that does not hold the process open. */
  schedule?: (run: () => Promise<void>, delayMs: number) => void;
  /** GitHub's web address, for the link before the issue is known (default https://github.com). */
  webUrl?: string;
}

export interface StatusIssues {
  /** The link an alert answer carries: the issue once known, else GitHub's search by its label. */
  linkFor(owner: string, repo: string): string;
  /**
   * Notes refusals and writes the issue now if the interval allows, else at its end. With none (the
   * decision acted), refreshes the issue only if this replica has written or found it before.
   */
  note(owner: string, repo: string, refusals: RefusalRecord[]): Promise<void>;
}

export const DEFAULT_STATUS_INTERVAL_MS = 60_000;

interface RepoStatus {
  pending: Refusals;
  dirty: boolean;
  lastWriteMs?: number;
  scheduled: boolean;
  url?: string;
}

export function createStatusIssues(deps: StatusIssueDeps): StatusIssues {
  const interval = deps.minIntervalMs ?? DEFAULT_STATUS_INTERVAL_MS;
  const schedule =
    deps.schedule ??
    ((run: () => Promise<void>, delayMs: number) => {
      setTimeout(() => void run(), delayMs).unref?.();
    });
  const repos = new Map<string, RepoStatus>();
  const queue = createKeyedQueue();
  const key = (owner: string, repo: string) => `${owner}/${repo}`.toLowerCase();
  const stateOf = (owner: string, repo: string): RepoStatus => {
    const k = key(owner, repo);
    let s = repos.get(k);
    if (!s) {
      s = { pending: {}, dirty: false, scheduled: false };
      repos.set(k, s);
    }
    return s;
  };

  const write = (owner: string, repo: string): Promise<void> =>
    queue.run(key(owner, repo), async () => {
      const s = stateOf(owner, repo);
      if (!s.dirty) return;
      const taken = s.pending;
      s.pending = {};
      s.dirty = false;
      try {
        s.url = await writeIssue(deps, owner, repo, taken, formatDuration(interval));
        s.lastWriteMs = deps.now();
      } catch (thrown: unknown) {
        // Keep what was not written for the next attempt; the issue is a view, never worth an error.
        s.pending = mergeRefusals(taken, s.pending);
        s.dirty = true;
        deps.log.warn({
          event: 'status_issue_failed',
          repo: `${owner}/${repo}`,
          error: describeThrown(thrown),
        });
      }
    });

  return {
    linkFor(owner, repo) {
      const known = repos.get(key(owner, repo))?.url;
      if (known) return known;
      const web = (deps.webUrl ?? 'https://github.com').replace(/\/+$/, '');
      return `${web}/${owner}/${repo}/issues?q=${encodeURIComponent(`is:issue is:open label:${STATUS_LABEL}`)}`;
    },
    async note(owner, repo, refusals) {
      const s = stateOf(owner, repo);
      // The issue exists to make refusals visible: it is opened by the first one. Other changes (a
      // failover done, a PR opened) refresh it only once this replica knows it, so a storm of successful
      // notifications costs no GitHub call at all.
      if (refusals.length === 0 && s.url === undefined) return;
      const noted: Refusals = {};
      for (const r of refusals) noted[r.service] = r;
      s.pending = mergeRefusals(s.pending, noted);
      s.dirty = true;
      const wait = s.lastWriteMs === undefined ? 0 : s.lastWriteMs + interval - deps.now();
      if (wait <= 0) return write(owner, repo);
      if (!s.scheduled) {
        s.scheduled = true;
        schedule(() => {
          s.scheduled = false;
          return write(owner, repo);
        }, wait);
      }
    },
  };
}

/** Reads the repo and the issue side by side, renders, then edits (or opens) the issue; its URL. */
async function writeIssue(
  deps: StatusIssueDeps,
  owner: string,
  repo: string,
  noted: Refusals,
  minInterval: string,
): Promise<string | undefined> {
  const port = await deps.portFor(owner, repo);
  const [snap, issue] = await Promise.all([port.readSnapshot(), port.findStatusIssue()]);
  if (!snap.config) return issue?.url;
  const refusals = mergeRefusals(issue ? parseStatusRecord(issue.body) : {}, noted);
  const now = new Date(deps.now()).toISOString();
  const body = renderStatusIssue({ config: snap.config, view: snap.view, now, refusals, minInterval });
  if (issue) {
    await port.updateIssueBody(issue.number, body);
    return issue.url;
  }
  const created = await port.createStatusIssue(STATUS_ISSUE_TITLE, body);
  return (await keepOldest(port, created, body)).url;
}

/**
 * Two replicas that found no issue at the same moment each open one: the one that is not the oldest
 * closes its own and writes into the oldest, so the repo converges on one status issue.
 */
async function keepOldest(port: StatusIssuePort, created: StatusIssue, body: string): Promise<StatusIssue> {
  const oldest = await port.findStatusIssue();
  if (!oldest || oldest.number >= created.number) return created;
  await port.closeIssue(created.number, `Duplicate of #${oldest.number}: one status issue per repo.`);
  await port.updateIssueBody(oldest.number, body);
  return oldest;
}

/** A decision that refused to act: nothing done, and a rule said no. */
export function isRefusal(d: Decision): boolean {
  return d.action === 'none' && d.trace.some((r) => !r.ok && !r.forced);
}

/** The refusal records of a decision: one per service it concerns (each member of a group). */
export function refusalsOf(d: Decision, at: string, trigger: string): RefusalRecord[] {
  if (!isRefusal(d)) return [];
  const services = d.services.length > 0 ? d.services : [d.service];
  return services.map((service) => ({ service, at, trigger, reasons: d.reasons }));
}
