// How a simulation is shown: a readable report for people, a stable JSON shape for scripts.
import type { Decision, PrPlan, RuleResult } from '../core/types.js';
import type { Simulation } from './commands/simulate.js';

export interface SimulationJson {
  now: string;
  source: string | null;
  signals: number;
  /** SNS subscription handshake carried by the notification, if any. */
  subscription: { type: string; topicArn: string } | null;
  reply: string | null;
  decisions: {
    service: string;
    services: string[];
    action: Decision['action'];
    kind: Decision['kind'];
    from: string | null;
    to: string | null;
    reasons: string[];
    trace: RuleResult[];
    comment: string | null;
  }[];
  /** Unified diff of every state-file change a PR would carry (blocked decisions change nothing). */
  diff: string;
  /** The first PR that would be opened (null when none would); `prs` lists all of them. */
  pr: PrJson | null;
  prs: PrJson[];
}

interface PrJson {
  title: string;
  branch: string;
  body: string;
  labels: string[];
  merge: boolean;
}

export function simulationJson(sim: Simulation): SimulationJson {
  const prs = sim.plans.map(({ plan }) => prJson(plan));
  return {
    now: sim.now,
    source: sim.notification?.source ?? null,
    signals: sim.notification?.signals.length ?? 0,
    subscription: sim.notification?.subscription
      ? { type: sim.notification.subscription.type, topicArn: sim.notification.subscription.topicArn }
      : null,
    reply: sim.reply ?? null,
    decisions: sim.decisions.map((d) => ({
      service: d.service,
      services: d.services,
      action: d.action,
      kind: d.kind,
      from: d.from ?? null,
      to: d.to ?? null,
      reasons: d.reasons,
      trace: d.trace,
      comment: d.comment ?? null,
    })),
    diff: diffOf(sim.plans.map((p) => p.decision)),
    pr: prs[0] ?? null,
    prs,
  };
}

function prJson(plan: PrPlan): PrJson {
  return { title: plan.title, branch: plan.branch, body: plan.body, labels: plan.labels, merge: plan.merge };
}

function diffOf(decisions: Decision[]): string {
  return decisions
    .flatMap((d) => d.edits.map((e) => e.diff))
    .filter((d) => d.length > 0)
    .join('\n');
}

/** The first line of every text report: a simulation changes nothing, wherever it reads from. */
export const SIMULATION_NOTICE =
  'Simulation: nothing was written (no branch, commit, pull request or comment).';

/**
 * The report for people: what came in, the decision and its trace, the state-file diff, the PR's title
 * and what would happen next; about 40 lines for one service. The PR body (which repeats the trace and
 * the diff as Markdown) only with `verbose`.
 */
export function renderSimulation(sim: Simulation, opts: { verbose?: boolean } = {}): string {
  const out: string[] = [SIMULATION_NOTICE, ...renderTrigger(sim)];
  if (sim.reply !== undefined) {
    out.push('', 'The bot would reply:', '', indent(sim.reply));
    return `${out.join('\n')}\n`;
  }
  if (sim.decisions.length === 0) {
    const n = sim.notification;
    out.push(
      '',
      n && n.signals.length === 0
        ? 'Nothing to judge: the notification carries no alert signal.'
        : 'No service is concerned: no alert route of .github/failover.yml matches these signals.',
    );
    return `${out.join('\n')}\n`;
  }
  for (const d of sim.decisions) out.push('', ...renderDecision(d));
  const diff = diffOf(sim.plans.map((p) => p.decision));
  if (diff) out.push('', '── state-file diff ──', diff.trimEnd());
  for (const { plan } of sim.plans) {
    out.push(
      '',
      '── pull request ──',
      `title:  ${plan.title}`,
      `branch: ${plan.branch}`,
      `labels: ${plan.labels.join(', ')}`,
      ...(opts.verbose ? ['', plan.body.trimEnd()] : []),
    );
  }
  out.push('', ...whatNext(sim, opts.verbose === true));
  return `${out.join('\n')}\n`;
}

function renderTrigger(sim: Simulation): string[] {
  const n = sim.notification;
  if (!n) {
    return sim.trigger.type === 'command'
      ? [`command by ${sim.trigger.by} at ${sim.now}: ${sim.trigger.command}`]
      : [];
  }
  const firing = n.signals.filter((s) => s.status === 'firing').length;
  const lines = [
    `${n.source} notification: ${n.signals.length} signal${n.signals.length === 1 ? '' : 's'} ` +
      `(${firing} firing, ${n.signals.length - firing} resolved) at ${sim.now}`,
  ];
  for (const ignored of n.ignored) lines.push(`  ignored: ${ignored.reason}`);
  if (n.subscription) {
    lines.push(
      `  ${n.subscription.type} for ${n.subscription.topicArn}: the bot confirms it only when the topic is allow-listed`,
    );
  }
  return lines;
}

/** What the bot, GitHub and the Action would do after this decision. */
function whatNext(sim: Simulation, verbose: boolean): string[] {
  if (sim.plans.length === 0) return ['Next: nothing; no pull request would be opened.'];
  const merged = sim.plans.some(({ plan }) => plan.merge);
  const lines = [
    merged
      ? 'Next: the bot opens this PR and merges it (auto-merge when branch protection wants checks first);'
      : 'Next: the bot opens this PR and a human reviews and merges it;',
    '  on the merge, the Action applies it with Terraform, verifies the new target and reports the RTO.',
  ];
  if (!verbose) lines.push('The full PR body (trace, diff, timeline as Markdown): add --verbose.');
  return lines;
}

function renderDecision(d: Decision): string[] {
  const move = d.from || d.to ? `  ${d.from ?? '?'} → ${d.to ?? '?'}` : '';
  const members = d.services.length > 1 ? ` (${d.services.join(', ')})` : '';
  const lines = [`${d.service}${members}: ${d.action}${move}  [${d.kind}]`];
  for (const reason of d.reasons) lines.push(`  reason: ${reason}`);
  const width = Math.max(0, ...d.trace.map((r) => r.rule.length));
  for (const r of d.trace) {
    const mark = r.forced ? '!' : r.ok ? '✓' : '✗';
    const forced = r.forced ? ` (forced: ${r.forced.reason})` : '';
    lines.push(`  ${mark} ${r.rule.padEnd(width)}  ${r.seen}${forced}`);
  }
  if (d.comment) lines.push('  comment:', indent(d.comment, 4));
  return lines;
}

function indent(text: string, spaces = 2): string {
  const pad = ' '.repeat(spaces);
  return text
    .split('\n')
    .map((l) => (l ? pad + l : l))
    .join('\n');
}
