// Markdown rendering of a PlanSummary for PR comments, check runs and the job summary.
// Only masked values from the summary are rendered; `summary.secrets` is never read here.
import type { ChangeAction, PlanSummary, ResourceChangeSummary } from './plan-summary.js';

/** Room left for the rest of a comment (marker, verification report) under GitHub's 65,536. */
export const PLAN_RENDER_LIMIT = 60_000;

const SYMBOL: Record<ChangeAction, string> = {
  create: '+',
  update: '~',
  delete: '-',
  replace: '-/+',
  read: '<=',
  forget: '.',
  'no-op': ' ',
};

const MAX_VALUE_CHARS = 120;
const MAX_ATTRIBUTES_PER_RESOURCE = 12;

export function renderPlanSummary(s: PlanSummary, limit = PLAN_RENDER_LIMIT): string {
  const head: string[] = [`**Plan:** ${countsLine(s)}`];
  if (s.errored) head.push('', '> **The plan stopped on an error**; the changes below are incomplete.');
  else if (!s.complete)
    head.push(
      '',
      '> This plan is **incomplete** (deferred changes); another plan/apply is needed afterwards.',
    );
  if (!s.hasChanges) head.push('', 'No changes. The infrastructure matches the configuration.');

  // Sections are built as row lists so that the whole text can be cut at a row boundary.
  const sections: { title: string[]; rows: string[] }[] = [];
  const changed = s.resources.filter((r) => r.action !== 'no-op');
  if (changed.length > 0) {
    sections.push({
      title: [
        '',
        '#### Resource changes',
        '',
        '| | resource | action | changed attributes |',
        '|---|---|---|---|',
      ],
      rows: changed.map(resourceRow),
    });
  }
  const outputs = s.outputs.filter((o) => o.action !== 'no-op');
  if (outputs.length > 0) {
    sections.push({
      title: ['', '#### Output changes', '', '| | output | change |', '|---|---|---|'],
      rows: outputs.map(
        (o) =>
          `| \`${SYMBOL[o.action]}\` | \`${cell(o.name)}\` | ${valueChange(o.action, o.before, o.after)} |`,
      ),
    });
  }
  if (s.drift.length > 0) {
    sections.push({
      title: [
        '',
        '#### Drift: changed outside Terraform',
        '',
        'These objects changed since the last apply; the plan above takes the current values into account.',
        '',
        '| | resource | action | changed attributes |',
        '|---|---|---|---|',
      ],
      rows: s.drift.map(resourceRow),
    });
  }
  if (s.checks.length > 0) {
    sections.push({
      title: ['', '#### Checks', '', '| status | check | problems |', '|---|---|---|'],
      rows: s.checks.map(
        (c) =>
          `| ${c.status} | \`${cell(c.address)}\` (${cell(c.kind)}) | ${c.problems.map(cell).join('<br>') || ''} |`,
      ),
    });
  }
  return fitSections(head.join('\n'), sections, limit);
}

function countsLine(s: PlanSummary): string {
  const c = s.counts;
  const parts = [
    `${c.create} to create`,
    `${c.update} to update`,
    `${c.delete} to delete`,
    `${c.replace} to replace`,
  ];
  if (c.read > 0) parts.push(`${c.read} to read`);
  if (c.forget > 0) parts.push(`${c.forget} to forget`);
  if (s.drift.length > 0) parts.push(`${s.drift.length} drifted`);
  return parts.join(', ');
}

function resourceRow(r: ResourceChangeSummary): string {
  const symbol = r.action === 'replace' && r.replaceOrder === 'create-first' ? '+/-' : SYMBOL[r.action];
  const notes: string[] = [];
  if (r.reason) notes.push(r.reason.replaceAll('_', ' '));
  if (r.movedFrom) notes.push(`moved from \`${cell(r.movedFrom)}\``);
  if (r.importing) notes.push('importing');
  const action = notes.length > 0 ? `${r.action} (${notes.join('; ')})` : r.action;
  const shown = r.attributes.slice(0, MAX_ATTRIBUTES_PER_RESOURCE).map((a) => {
    const mark = a.forcesReplacement ? ' **forces replacement**' : '';
    return `\`${cell(a.name)}\`: ${valueChange(r.action, a.before, a.after)}${mark}`;
  });
  const hidden = r.attributes.length - shown.length;
  if (hidden > 0) shown.push(`… ${hidden} more`);
  return `| \`${symbol}\` | \`${cell(r.address)}\` | ${cell(action)} | ${shown.join('<br>')} |`;
}

function valueChange(action: ChangeAction, before: unknown, after: unknown): string {
  if (action === 'create') return code(after);
  if (action === 'delete') return `${code(before)} → (deleted)`;
  return `${code(before)} → ${code(after)}`;
}

/** A value as inline code, shortened, safe inside a table cell. */
function code(value: unknown): string {
  const text =
    typeof value === 'string' && value.startsWith('(') && value.endsWith(')') ? value : JSON.stringify(value);
  const short = text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
  if (short.startsWith('(') && short.endsWith(')')) return cell(short);
  // Backticks inside a value would end the code span early; a doubled fence with spaces avoids it.
  return short.includes('`') ? `\`\` ${cell(short)} \`\`` : `\`${cell(short)}\``;
}

/** Escapes what breaks a GFM table cell: pipes and newlines. */
function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll(/\r?\n/g, ' ');
}

function fitSections(head: string, sections: { title: string[]; rows: string[] }[], limit: number): string {
  const full = [head, ...sections.flatMap((section) => [...section.title, ...section.rows])].join('\n');
  if (full.length <= limit) return full;

  const total = sections.reduce((sum, section) => sum + section.rows.length, 0);
  const noteRoom = 200;
  let text = head;
  let shown = 0;
  for (const section of sections) {
    const title = `\n${section.title.join('\n')}`;
    if (text.length + title.length + noteRoom > limit) break;
    let body = '';
    let cut = false;
    for (const row of section.rows) {
      if (text.length + title.length + body.length + row.length + 1 + noteRoom > limit) {
        cut = true;
        break;
      }
      body += `\n${row}`;
      shown += 1;
    }
    if (body !== '') text += title + body;
    if (cut || body === '') break;
  }
  return `${text}\n\n> Cut to fit: ${total - shown} of ${total} rows are not shown. The full plan is in the job log (\`terraform show\`).`;
}
