// The body of the repo's status issue: the status table of `/failover status` (one place renders it),
// then the latest refused automatic decision per service with its reasons, and a hidden record of those
// refusals so any bot replica can merge its own into what the issue already says.
import { formatDuration } from '../duration.js';
import type { FailoverConfig, RepoView } from '../types.js';
import { renderStatus } from './status.js';
import { cell } from './text.js';

export const STATUS_ISSUE_TITLE = 'gitops-failover status';
const RECORD_PREFIX = '<!-- gitops-failover:status ';
const RECORD_SUFFIX = ' -->';

/** One automatic decision that was refused (an alert's failover, a rollback, a drill's failback). */
export interface RefusalRecord {
  service: string;
  /** ISO time of the decision. */
  at: string;
  /** What asked: `alert (alertmanager)`, `rollback of #12`, `drill failback of #7`. */
  trigger: string;
  /** The decision's reasons, the first one the headline. */
  reasons: string[];
}

export type Refusals = Record<string, RefusalRecord>;

export interface StatusIssueInput {
  config: FailoverConfig;
  view: RepoView;
  now: string;
  refusals: Refusals;
  /** Shown so readers know how fresh it can be: `1m`. */
  minInterval: string;
}

export function renderStatusIssue(input: StatusIssueInput): string {
  const { config, view, now, refusals } = input;
  return [
    `## ${STATUS_ISSUE_TITLE}`,
    `_Kept current by gitops-failover: edited in place, at most once every ${input.minInterval}; edits by hand are overwritten. Last update ${now} (${view.defaultBranch} at \`${view.headSha.slice(0, 7)}\`)._`,
    renderStatus(config, view, now),
    '### Latest refused automatic decision per service',
    renderRefusals(config, refusals, now),
    renderRecord(refusals),
  ].join('\n\n');
}

function renderRefusals(config: FailoverConfig, refusals: Refusals, now: string): string {
  const rows = Object.keys(config.services)
    .map((name) => refusals[name])
    .filter((r): r is RefusalRecord => r !== undefined);
  if (rows.length === 0) return 'None: no automatic decision has been refused since this issue was opened.';
  const nowMs = Date.parse(now);
  return [
    '| service | when | asked by | why it was refused |',
    '| --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${cell(r.service)} | ${cell(r.at)} (${formatDuration(Math.max(0, nowMs - Date.parse(r.at)))} ago) | ${cell(r.trigger)} | ${cell(r.reasons.join('; '))} |`,
    ),
  ].join('\n');
}

/** The refusals as hidden JSON; `--`, `<` and `>` escaped so no reason can close the comment. */
function renderRecord(refusals: Refusals): string {
  const json = JSON.stringify({ v: 1, refusals })
    .replaceAll('--', '\\u002d\\u002d')
    .replaceAll('<', '\\u003c')
    .replaceAll('>', '\\u003e');
  return `${RECORD_PREFIX}${json}${RECORD_SUFFIX}`;
}

/** The refusals an issue body records (empty when it has none or they do not parse). */
export function parseStatusRecord(body: string): Refusals {
  const start = body.lastIndexOf(RECORD_PREFIX);
  const end = start < 0 ? -1 : body.indexOf(RECORD_SUFFIX, start + RECORD_PREFIX.length);
  if (end < 0) return {};
  try {
    const value = JSON.parse(body.slice(start + RECORD_PREFIX.length, end)) as { refusals?: unknown };
    return sanitize(value.refusals);
  } catch {
    return {};
  }
}

/** Only well-formed entries survive: the body is editable by anyone with write access. */
function sanitize(value: unknown): Refusals {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  const out: Refusals = {};
  for (const [service, r] of Object.entries(value as Record<string, unknown>)) {
    const rec = r as Partial<RefusalRecord> | null;
    if (
      rec &&
      typeof rec.at === 'string' &&
      typeof rec.trigger === 'string' &&
      Array.isArray(rec.reasons) &&
      rec.reasons.every((x) => typeof x === 'string')
    )
      out[service] = { service, at: rec.at, trigger: rec.trigger, reasons: rec.reasons };
  }
  return out;
}

/** The newer of two records per service. */
export function mergeRefusals(older: Refusals, newer: Refusals): Refusals {
  const out: Refusals = { ...older };
  for (const [service, r] of Object.entries(newer)) {
    const had = out[service];
    if (!had || Date.parse(r.at) >= Date.parse(had.at)) out[service] = r;
  }
  return out;
}
