// Markdown for PR comments, check runs and the job summary: one table row per check, then a short
// explanation of each check that did not pass (the part an on-call engineer actually reads).
import { formatDuration } from '../core/duration.js';
import type { Attempt, CheckReport, Verdict, VerifyReport } from './types.js';

const ICON: Record<Verdict, string> = { pass: '✅', fail: '❌', inconclusive: '❔', timeout: '⏱️' };

export function renderVerifyReport(r: VerifyReport): string {
  const elapsed = Date.parse(r.finishedAt) - Date.parse(r.startedAt);
  const passed = r.checks.filter((c) => c.ok).length;
  if (r.checks.length === 0) return '**Verification:** no checks configured.\n';
  const head = r.ok
    ? `**Verification passed:** ${passed} of ${r.checks.length} checks in ${formatDuration(elapsed)}.`
    : `**Verification failed:** ${passed} of ${r.checks.length} checks passed (${formatDuration(elapsed)}).`;
  const rows = r.checks.map(
    (c) =>
      `| ${cell(c.name)} | ${c.kind} | ${ICON[c.verdict]} ${c.verdict} | ${attemptsCell(c.attempts)} | ${cell(lastObserved(c))} |`,
  );
  const lines = [
    head,
    '',
    '| check | kind | verdict | attempts | last observed |',
    '|---|---|---|---|---|',
    ...rows,
  ];
  const failures = r.checks.filter((c) => !c.ok);
  if (failures.length > 0) {
    lines.push('', '**Why:**');
    for (const c of failures)
      lines.push(`- \`${c.name.replaceAll('`', "'")}\` (${c.verdict}): ${oneLine(c.message)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The attempts counted by outcome (`2 ok`, `1 inconclusive`), outcomes with none left out. */
export function attemptCounts(attempts: Attempt[]): string[] {
  const ok = attempts.filter((a) => a.ok === true).length;
  const failed = attempts.filter((a) => a.ok === false).length;
  const unsure = attempts.length - ok - failed;
  return [ok && `${ok} ok`, failed && `${failed} failed`, unsure && `${unsure} inconclusive`].filter(
    (part): part is string => Boolean(part),
  );
}

function attemptsCell(attempts: Attempt[]): string {
  const parts = attemptCounts(attempts);
  return parts.length > 0 ? `${attempts.length} (${parts.join(', ')})` : '0';
}

function lastObserved(c: CheckReport): string {
  return c.attempts.at(-1)?.observed ?? '—';
}

/** Table cells cannot hold pipes or newlines; long values are cut so the table stays readable. */
function cell(text: string, max = 120): string {
  const flat = oneLine(text).replaceAll('|', '\\|');
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
