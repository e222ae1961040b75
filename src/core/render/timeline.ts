// The PR body's timeline. The bot opens the PR with the first rows; the bot and the Action fill in the
// rest (merged, applied, verified) by re-rendering this section from the marker plus what they saw.
import { formatDuration } from '../duration.js';
import type { FailoverMarker } from '../types.js';
import { cell } from './text.js';

export const TIMELINE_START = '<!-- gitops-failover:timeline -->';
export const TIMELINE_END = '<!-- /gitops-failover:timeline -->';

/** Later events by ISO time; `notes` add a word to a row (e.g. verified: "3/3 checks"). */
export interface TimelineEvents {
  merged?: string;
  applied?: string;
  verified?: string;
  /** Verification or apply failed at this time. */
  failed?: string;
  rolledBack?: string;
  /** Closed without merging (by a person: the failover was abandoned). */
  closed?: string;
  notes?: Partial<Record<'merged' | 'applied' | 'verified' | 'failed' | 'rolledBack' | 'closed', string>>;
}

/** The timeline table (with its section delimiters) for a marker and the events known so far. */
export function renderTimeline(marker: FailoverMarker, events: TimelineEvents = {}): string {
  const started = Date.parse(marker.startedAt);
  const startLabel = marker.trigger.type === 'alert' ? 'alert started' : 'command given';
  const rows: [string, string | undefined, string?][] = [
    [startLabel, marker.startedAt],
    ['received', marker.receivedAt],
    ['PR opened', marker.openedAt],
    ['merged', events.merged, events.notes?.merged],
    ['applied', events.applied, events.notes?.applied],
    ['verified', events.verified, events.notes?.verified],
  ];
  if (events.failed) rows.push(['failed', events.failed, events.notes?.failed]);
  if (events.rolledBack) rows.push(['rolled back', events.rolledBack, events.notes?.rolledBack]);
  if (events.closed) rows.push(['closed without merging', events.closed, events.notes?.closed]);
  const lines = ['| event | time (UTC) | since start |', '| --- | --- | --- |'];
  for (const [event, at, note] of rows) {
    const since = at && Number.isFinite(started) ? `+${formatDuration(Date.parse(at) - started)}` : '';
    const shown = at ? at.replace('T', ' ').replace(/\.\d+Z$|Z$/, 'Z') : '…';
    lines.push(`| ${event} | ${cell(shown)}${note ? ` (${cell(note)})` : ''} | ${since} |`);
  }
  if (events.verified && Number.isFinite(started)) {
    lines.push(
      '',
      `RTO (alert start → verified): **${formatDuration(Date.parse(events.verified) - started)}**`,
    );
  }
  return `${TIMELINE_START}\n${lines.join('\n')}\n${TIMELINE_END}`;
}

/** Replaces the timeline section of an existing body (appends one before the marker when absent). */
export function replaceTimeline(body: string, marker: FailoverMarker, events: TimelineEvents = {}): string {
  const fresh = renderTimeline(marker, events);
  const start = body.indexOf(TIMELINE_START);
  const end = body.indexOf(TIMELINE_END, start);
  if (start >= 0 && end > start) return body.slice(0, start) + fresh + body.slice(end + TIMELINE_END.length);
  const at = body.lastIndexOf('<!-- gitops-failover ');
  const section = `### Timeline\n\n${fresh}\n\n`;
  return at >= 0 ? body.slice(0, at) + section + body.slice(at) : `${body}\n\n${section}`;
}
