// planPr: everything the GitHub port needs to open (or update) one failover PR, as pure data.
// Conventions of DESIGN §7: branch failover/<service>, labels failover + failover:<kind>, title with →.
import type {
  Decision,
  FailoverConfig,
  FailoverKind,
  FailoverMarker,
  ForceableRule,
  PrPlan,
  RepoView,
  RuleResult,
  Signal,
} from '../types.js';
import { FORCEABLE_RULES } from '../types.js';
import { fitBody, TRACE_END, TRACE_START } from './fit.js';
import { renderMarker } from './marker.js';
import { capEcho, cell, code, fenced, inert, safeHref } from './text.js';
import { renderTimeline } from './timeline.js';

export interface PlanContext {
  config: FailoverConfig;
  repo: RepoView;
  now: string;
  receivedAt: string;
  trigger: FailoverMarker['trigger'];
}

const KIND_LABEL: Record<FailoverKind, string> = {
  auto: 'failover:auto',
  manual: 'failover:manual',
  failback: 'failover:manual',
  drill: 'failover:drill',
  rollback: 'failover:rollback',
};
const KIND_WORD: Record<FailoverKind, string> = {
  auto: 'Failover',
  manual: 'Failover',
  failback: 'Failback',
  drill: 'Failover drill',
  rollback: 'Rollback',
};

const MAX_MARKER_FINGERPRINTS = 200;
const MAX_WHY_ROWS = 50;

export function prTitle(kind: FailoverKind, service: string, from = '?', to = '?'): string {
  return `${KIND_WORD[kind]} ${service}: ${from} → ${to}`;
}

export function planPr(decision: Decision, ctx: PlanContext): PrPlan {
  const marker = buildMarker(decision, ctx);
  const title = prTitle(decision.kind, decision.service, decision.from, decision.to);
  const body = fitBody(renderPrBody(decision, marker, title));
  // A decision that could not see part of the world is at most a PR for a human, never a merge.
  const blind = (decision.unseen?.length ?? 0) > 0;
  const merge =
    !blind &&
    (decision.action === 'merge' ||
      (decision.action === 'update-pr' &&
        (decision.kind !== 'auto' ||
          decision.services.every((s) => ctx.config.services[s]?.automation.on_alert === 'merge'))));
  return {
    branch: `failover/${decision.service}`,
    baseSha: ctx.repo.headSha,
    title,
    body,
    labels: ['failover', KIND_LABEL[decision.kind]],
    commitMessage: commitMessage(decision, marker, title),
    edits: decision.edits,
    marker,
    merge,
  };
}

function buildMarker(decision: Decision, ctx: PlanContext): FailoverMarker {
  const forced = decision.trace
    .filter((r): r is RuleResult & { forced: { reason: string; by?: string } } => r.forced !== undefined)
    .filter((r) => (FORCEABLE_RULES as readonly string[]).includes(r.rule))
    .map((r) => ({
      rule: r.rule as ForceableRule,
      reason: r.forced.reason,
      ...(r.forced.by !== undefined ? { by: r.forced.by } : {}),
    }));
  const startedAt =
    ctx.trigger.type === 'alert' ? (earliest(decision.signals) ?? ctx.receivedAt) : ctx.receivedAt;
  const marker: FailoverMarker = {
    v: 1,
    kind: decision.kind,
    services: decision.services,
    changes: decision.services.map((service) => ({
      service,
      from: decision.from ?? '?',
      to: decision.to ?? '?',
    })),
    startedAt,
    receivedAt: ctx.receivedAt,
    openedAt: ctx.now,
    // Capped: a storm of thousands of alerts must not push the marker past the body limit (fitBody never
    // cuts the marker). The first ones are enough to recognise the alerts when they resolve.
    fingerprints: [...new Set(decision.signals.map((s) => s.fingerprint))].slice(0, MAX_MARKER_FINGERPRINTS),
    trigger: ctx.trigger,
  };
  if (forced.length > 0) marker.forced = forced;
  if (decision.kind === 'drill')
    marker.drill = { leg: 'failover', ...(decision.before ? { before: decision.before } : {}) };
  return marker;
}

function earliest(signals: Signal[]): string | undefined {
  let best: string | undefined;
  for (const s of signals) {
    if (!Number.isFinite(Date.parse(s.startsAt))) continue;
    if (best === undefined || Date.parse(s.startsAt) < Date.parse(best)) best = s.startsAt;
  }
  return best;
}

export function renderPrBody(decision: Decision, marker: FailoverMarker, title: string): string {
  const parts = [`## ${title}`, '', `> ${decision.reasons.map((r) => inert(r)).join(' · ')}`, ''];
  if (decision.unseen && decision.unseen.length > 0) {
    parts.push(
      `> [!WARNING]\n> Not merged automatically: part of the world could not be seen. ${decision.unseen.map((u) => cell(u)).join('; ')}. A person decides.`,
      '',
    );
  }
  parts.push('### Why', '', renderWhy(decision, marker), '');
  parts.push('### Decision trace', '', TRACE_START, renderTrace(decision.trace), TRACE_END, '');
  parts.push('### Diff', '');
  if (decision.edits.length === 0) parts.push('_No state change._', '');
  for (const edit of decision.edits) parts.push(`\`${edit.path}\``, '', fenced('diff', edit.diff), '');
  parts.push('### Timeline', '', renderTimeline(marker), '');
  parts.push(renderMarker(marker));
  return parts.join('\n');
}

function renderWhy(decision: Decision, marker: FailoverMarker): string {
  if (marker.trigger.type === 'command') {
    const by = `@${marker.trigger.by}`;
    const href = safeHref(marker.trigger.commentUrl);
    const link = href ? ` ([comment](${href}))` : '';
    return `Command ${code(capEcho(marker.trigger.command))} given by ${by}${link}.`;
  }
  if (decision.signals.length === 0) return 'Alerts (none listed).';
  const rows = ['| alert | status | severity | labels | started |', '| --- | --- | --- | --- | --- |'];
  for (const s of decision.signals.slice(0, MAX_WHY_ROWS)) {
    const name = s.labels.alertname ?? s.fingerprint;
    const href = safeHref(s.url);
    const shown = href ? `[${cell(name)}](${href})` : cell(name);
    const labels = Object.entries(s.labels)
      .filter(([k]) => k !== 'alertname' && k !== 'severity')
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
    const summary = s.annotations.summary ? ` — ${s.annotations.summary}` : '';
    rows.push(
      `| ${shown}${cell(summary)} | ${s.status} | ${cell(s.labels.severity ?? '-')} | ${cell(labels)} | ${cell(s.startsAt)} |`,
    );
  }
  const more = decision.signals.length - MAX_WHY_ROWS;
  if (more > 0) rows.push('', `…and ${more} more alert${more === 1 ? '' : 's'}.`);
  return `Alerts from ${marker.trigger.sources.join(', ')}:\n\n${rows.join('\n')}`;
}

function renderTrace(trace: RuleResult[]): string {
  const rows = ['| rule | result | value seen |', '| --- | --- | --- |'];
  for (const r of trace) {
    const by = r.forced?.by ? ` by @${cell(r.forced.by)}` : '';
    const result = r.forced
      ? `⚠️ **forced**${by} (${cell(r.forced.reason)})`
      : !r.ok
        ? '❌ fail'
        : r.checked === false
          ? '⚪ not checked'
          : '✅ pass';
    const name = r.forced ? `**${r.rule}**` : r.rule;
    rows.push(`| ${name} | ${result} | ${cell(r.seen)} |`);
  }
  return rows.join('\n');
}

function commitMessage(decision: Decision, marker: FailoverMarker, title: string): string {
  const lines = [title, '', ...decision.reasons];
  if (marker.trigger.type === 'command')
    lines.push('', `Requested-by: ${marker.trigger.by} (${marker.trigger.command})`);
  else
    lines.push(
      '',
      `Alerts: ${marker.fingerprints.slice(0, 10).join(', ')}${marker.fingerprints.length > 10 ? ', ...' : ''}`,
    );
  for (const f of marker.forced ?? [])
    lines.push(`Forced-rule: ${f.rule}${f.by ? ` by ${f.by}` : ''} (${f.reason})`);
  return lines.join('\n');
}
