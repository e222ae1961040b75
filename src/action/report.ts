// Markdown for the sticky PR comment, the check run and the job summary. Every value shown here has
// been masked upstream (plan secrets) or redacted (verification URLs).
import type { ServiceChange } from '../core/changes.js';
import { formatDuration } from '../core/duration.js';
import { redactPatterns } from '../core/redact.js';
import { renderVerifyReport } from '../verify/index.js';
import type { VerifyReport } from '../verify/types.js';
import type { StepRecord } from './io.js';

export function renderSteps(steps: StepRecord[]): string {
  if (steps.length === 0) return '';
  const rows = steps.map(
    (s) =>
      `| ${s.step} | ${s.ok ? 'ok' : '**failed**'} | ${formatDuration(s.ms)} | ${oneLine(s.detail ?? '')} |`,
  );
  return ['| step | result | took | detail |', '|---|---|---|---|', ...rows].join('\n');
}

export function renderChanges(changes: ServiceChange[]): string {
  if (changes.length === 0) return 'No failover flag changed.';
  const rows = changes.map((c) => `| ${c.service} | ${c.from} | ${c.to} |`);
  return ['| service | from | to |', '|---|---|---|', ...rows].join('\n');
}

export function renderVerifications(
  reports: { service: string; target: string; report: VerifyReport }[],
): string {
  return reports
    .map(({ service, target, report }) => {
      const head = `#### ${service} on ${target}: ${report.ok ? 'verified' : 'NOT verified'}`;
      return `${head}\n\n${report.checks.length === 0 ? 'No checks configured.' : renderVerifyReport(report)}`;
    })
    .join('\n\n');
}

/** Redacted before it is cut: a secret cut in half no longer looks like one to a later redaction. */
function oneLine(text: string): string {
  return redactPatterns(text).replace(/\s+/g, ' ').replaceAll('|', '\\|').slice(0, 300);
}
