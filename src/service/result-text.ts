// Text for the results loop: reading the Action's verify record, the hidden "seen" record the bot leaves
// in the PR timeline, the sticky result comment and the drill report.

import { formatDuration } from '../core/duration.js';
import type { VerifyRecord } from '../core/policy/follow-up.js';
import { renderTimeline, TIMELINE_END, TIMELINE_START, type TimelineEvents } from '../core/render/index.js';
import { inert } from '../core/render/text.js';
import { parseVerifyMarker } from '../core/render/verify-record.js';
import type { DrillLegRecord, FailoverMarker } from '../core/types.js';

/** The verify record from a check run's output (text first, then summary), checked for shape. */
export function readVerifyRecord(output: {
  text?: string | null;
  summary?: string | null;
}): VerifyRecord | undefined {
  const raw = parseVerifyMarker(output.text ?? '') ?? parseVerifyMarker(output.summary ?? '');
  if (!raw || typeof raw.verified !== 'boolean') return undefined;
  const changes = Array.isArray(raw.changes)
    ? raw.changes.filter(
        (c): c is { service: string; from: string; to: string } =>
          typeof c === 'object' && c !== null && typeof (c as { service?: unknown }).service === 'string',
      )
    : [];
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const record: VerifyRecord = {
    services: Array.isArray(raw.services)
      ? raw.services.filter((s): s is string => typeof s === 'string')
      : [],
    changes: changes.map((c) => ({ service: c.service, from: String(c.from), to: String(c.to) })),
    applied: raw.applied === true,
    verified: raw.verified,
  };
  if (typeof raw.pr === 'number') record.pr = raw.pr;
  const sha = str(raw.sha);
  if (sha) record.sha = sha;
  const appliedAt = str(raw.appliedAt);
  if (appliedAt) record.appliedAt = appliedAt;
  const verifiedAt = str(raw.verifiedAt);
  if (verifiedAt) record.verifiedAt = verifiedAt;
  if (typeof raw.rtoSeconds === 'number') record.rtoSeconds = raw.rtoSeconds;
  const failure = str(raw.failure);
  if (failure) record.failure = failure;
  const kind = str(raw.kind);
  if (kind) record.kind = kind;
  return record;
}

const SEEN_PREFIX = '<!-- gitops-failover:result ';

/** Marks, inside the timeline, which commit's result the bot has already written (for workflow_run). */
function seenRecord(sha: string, verified: boolean): string {
  return `${SEEN_PREFIX}${JSON.stringify({ sha, verified }).replaceAll('>', '\\u003e')} -->`;
}

export function resultSeenFor(body: string, sha: string): boolean {
  return body.includes(`${SEEN_PREFIX}{"sha":${JSON.stringify(sha)}`);
}

/** The body with its timeline section re-rendered (everything else, the marker included, untouched). */
export function bodyWithTimeline(
  body: string,
  marker: FailoverMarker,
  events: TimelineEvents,
  seen: { sha: string; verified: boolean },
): string {
  const section = renderTimeline(marker, events).replace(
    TIMELINE_END,
    `${seenRecord(seen.sha, seen.verified)}\n${TIMELINE_END}`,
  );
  const start = body.indexOf(TIMELINE_START);
  const end = body.indexOf(TIMELINE_END, start);
  if (start >= 0 && end > start)
    return body.slice(0, start) + section + body.slice(end + TIMELINE_END.length);
  const at = body.lastIndexOf('<!-- gitops-failover ');
  const block = `### Timeline\n\n${section}\n\n`;
  return at >= 0 ? body.slice(0, at) + block + body.slice(at) : `${body}\n\n${block}`;
}

export function renderResultComment(
  record: VerifyRecord,
  marker: FailoverMarker,
  links: { checkUrl?: string | undefined; followUp?: string | undefined },
): string {
  const head = record.verified
    ? '### ✅ Failover applied and verified'
    : record.applied
      ? '### ❌ Failover applied, NOT verified'
      : '### ❌ Failover apply failed';
  const rows = (record.changes.length > 0 ? record.changes : marker.changes).map(
    (c) => `| ${c.service} | ${c.from} | ${c.to} |`,
  );
  const parts = [head, '', '| service | from | to |', '| --- | --- | --- |', ...rows, ''];
  if (record.rtoSeconds !== undefined)
    parts.push(
      `**RTO:** ${formatDuration(record.rtoSeconds * 1000)} (${marker.trigger.type === 'alert' ? 'alert start' : 'command'} → verified)`,
      '',
    );
  if (record.failure) parts.push(`**What failed:** ${inert(record.failure, 500)}`, '');
  if (links.followUp) parts.push(links.followUp, '');
  if (links.checkUrl) parts.push(`[Check run](${links.checkUrl})`);
  return parts.join('\n').trim();
}

export function renderDrillReport(
  failover: DrillLegRecord | undefined,
  failback: DrillLegRecord,
  service: string,
): string {
  const leg = (name: string, l: DrillLegRecord | undefined) =>
    l
      ? `| ${name} | #${l.pr} | ${l.appliedAt ?? '…'} | ${l.verifiedAt ?? '…'} | ${l.rtoSeconds !== undefined ? formatDuration(l.rtoSeconds * 1000) : '?'} |`
      : `| ${name} | ? | … | … | ? |`;
  const startMs = failover ? Date.parse(failover.startedAt) : Number.NaN;
  const endMs = failback.verifiedAt ? Date.parse(failback.verifiedAt) : Number.NaN;
  const total = Number.isFinite(startMs) && Number.isFinite(endMs) ? formatDuration(endMs - startMs) : '?';
  return [
    `### 🧪 Drill report: ${service}`,
    '',
    '| leg | PR | applied | verified | RTO |',
    '| --- | --- | --- | --- | --- |',
    leg('failover', failover),
    leg('failback', failback),
    '',
    `**Total drill duration** (command → failback verified): ${total}`,
  ].join('\n');
}
