// sandbox-report/index.html: what happened, on one static page. The traffic chart (SVG rendered on the
// server), the timeline with each step's time, the RTO split, the failover PR as GitHub shows it, the
// Action's job summary with its verification table, and which parts were stand-ins.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { escapeHtml, renderMarkdown } from '../memory-github/markdown.js';
import { trafficChartSvg } from './chart.js';
import type { Sample } from './load.js';
import type { Step, StoryResult } from './story.js';

export interface ReportInput {
  scenario: string;
  startedAt: number;
  regions: string[];
  samples: Sample[];
  result: StoryResult;
  /** The Action's job summary (GITHUB_STEP_SUMMARY) of the apply job, markdown. */
  jobSummary?: string;
  /** Parts that ran as built-in stand-ins, with why. */
  standIns: string[];
  /** Extra sections (scenario outcomes), markdown. */
  notes?: string[];
}

function timelineTable(steps: Step[], origin: number): string {
  const rows = steps.map(
    (s) =>
      `<tr><td>${escapeHtml(s.name)}</td><td>${new Date(s.at).toISOString().slice(11, 23)}Z</td><td>+${((s.at - origin) / 1000).toFixed(1)}s</td><td>${escapeHtml(s.detail ?? '')}</td></tr>`,
  );
  return `<table><thead><tr><th>step</th><th>time (UTC)</th><th>since primary stopped</th><th>detail</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function rtoTable(result: StoryResult): string {
  const r = result.rto;
  if (!r) return '<p>No recovery time: the story did not reach a verified failover.</p>';
  const row = (name: string, s: number, what: string) =>
    `<tr><td>${name}</td><td>${s.toFixed(1)}s</td><td>${what}</td></tr>`;
  return `<p class="rto">${escapeHtml(rtoLine(result) ?? '')}</p><table><thead><tr><th>phase</th><th>took</th><th>from → to</th></tr></thead><tbody>${[
    row('detection', r.detection, 'primary stopped → notification received by the bot'),
    row('decision', r.decision, 'notification received → PR merged'),
    row('apply', r.apply, 'merged → terraform applied (HAProxy reloaded)'),
    row('verification', r.verification, 'applied → verified through the entry point'),
    row('<b>RTO</b>', r.total, 'primary stopped → verified'),
  ].join('')}</tbody></table>${
    result.ownShare !== undefined
      ? `<p>The product's own share (alert received → verified): <b>${result.ownShare.toFixed(1)}s</b>.</p>`
      : ''
  }`;
}

export function rtoLine(result: StoryResult): string | undefined {
  const r = result.rto;
  if (!r) return undefined;
  const f = (s: number) => `${s.toFixed(1)}s`;
  return `RTO ${f(r.total)} (detection ${f(r.detection)}, decision ${f(r.decision)}, apply ${f(r.apply)}, verification ${f(r.verification)})`;
}

const STYLE = `body{font:14px/1.5 -apple-system,Segoe UI,Helvetica,Arial,sans-serif;max-width:1000px;margin:2em auto;color:#1f2328}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #d0d7de;padding:4px 10px;text-align:left}
.pr{border:1px solid #d0d7de;border-radius:6px;padding:0 1.5em}.pr-title{font-size:1.6em;margin:.5em 0}
.rto{font-size:1.2em;font-weight:600}.standin{background:#fff8c5;border:1px solid #d4a72c;padding:.5em 1em}
code,pre{background:#f6f8fa}`;

export function renderReport(input: ReportInput): string {
  const stopped = input.result.steps.find((s) => s.name === 'primary stopped')?.at ?? input.startedAt;
  const markers = input.result.steps
    .filter((s) => s.name !== 'timeline written')
    .map((s) => ({ label: s.name, at: s.at }));
  const pr = input.result.pr;
  const sections = [
    `<h1>gitops-failover sandbox: ${escapeHtml(input.scenario)}</h1>`,
    input.standIns.length > 0
      ? `<div class="standin"><b>Stand-ins:</b><ul>${input.standIns.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ul></div>`
      : '<p>Every part was real: HAProxy, Prometheus, the blackbox exporter, Alertmanager, terraform, the bot and the Action.</p>',
    '<h2>Traffic</h2>',
    `<figure id="traffic-chart">${trafficChartSvg(input.samples, input.startedAt, markers, input.regions)}</figure>`,
    '<h2>Timeline</h2>',
    timelineTable(input.result.steps, stopped),
    '<h2>Recovery time</h2>',
    rtoTable(input.result),
    ...(input.notes ?? []).map((n) => `<section class="notes">${renderMarkdown(n)}</section>`),
  ];
  if (pr) {
    sections.push(
      '<h2>The pull request</h2>',
      `<div class="pr" id="pull-request"><p class="pr-title">${escapeHtml(pr.title)} <span>#${pr.number}</span></p><p>${pr.merged ? 'Merged' : pr.state}</p>${renderMarkdown(pr.body)}</div>`,
    );
  }
  if (input.jobSummary) {
    sections.push(
      '<h2>The Action’s job summary (verification)</h2>',
      `<div id="job-summary">${renderMarkdown(input.jobSummary)}</div>`,
    );
  }
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>gitops-failover sandbox report</title><style>${STYLE}</style></head><body>${sections.join('\n')}</body></html>\n`;
}

/** Writes the report under `dir` and returns the file's path. */
export function writeReport(dir: string, input: ReportInput): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'index.html');
  writeFileSync(file, renderReport(input));
  return file;
}
