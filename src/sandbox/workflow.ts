// The subset of GitHub Actions workflow syntax the example workflow uses, read and evaluated the way
// GitHub does: `on.push` branch and path filters, job and step `if`, `${{ }}` expressions over
// `github.*` and `steps.<id>.outputs.*`. Anything else is refused by name rather than guessed.
import { parse } from 'yaml';

export interface WorkflowStep {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, string | number | boolean>;
  env?: Record<string, string>;
}

export interface WorkflowJob {
  if?: string;
  steps: WorkflowStep[];
}

export interface Workflow {
  name: string;
  on: { push?: { branches?: string[]; paths?: string[] } };
  jobs: Record<string, WorkflowJob>;
}

export interface ExprContext {
  github: Record<string, string>;
  steps: Record<string, { outputs: Record<string, string>; outcome: string }>;
  /** Whether an earlier step of the job failed (for success()/failure()). */
  failed: boolean;
}

export function parseWorkflow(text: string): Workflow {
  const doc = parse(text) as Partial<Workflow> | null;
  if (!doc || typeof doc.jobs !== 'object') throw new Error('workflow has no jobs');
  return { name: String(doc.name ?? ''), on: doc.on ?? {}, jobs: doc.jobs };
}

function globToRegex(glob: string): RegExp {
  const body = glob
    .split('**')
    .map((part) => part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*'))
    .join('.*');
  return new RegExp(`^${body}$`);
}

/** Whether a push to `branch` changing `files` triggers the workflow's `on.push`. */
export function pushTriggers(wf: Workflow, branch: string, files: string[]): boolean {
  const push = wf.on.push;
  if (!push) return false;
  if (push.branches && !push.branches.some((b) => globToRegex(b).test(branch))) return false;
  if (push.paths && !files.some((f) => push.paths?.some((p) => globToRegex(p).test(f)))) return false;
  return true;
}

function value(ctx: ExprContext, path: string): string {
  const parts = path.split('.');
  if (parts[0] === 'github' && parts.length === 2) return ctx.github[parts[1] ?? ''] ?? '';
  if (parts[0] === 'steps' && parts[2] === 'outputs' && parts.length === 4)
    return ctx.steps[parts[1] ?? '']?.outputs[parts[3] ?? ''] ?? '';
  if (parts[0] === 'steps' && parts[2] === 'outcome' && parts.length === 3)
    return ctx.steps[parts[1] ?? '']?.outcome ?? '';
  throw new Error(`the sandbox runner does not evaluate "${path}"`);
}

function term(ctx: ExprContext, raw: string): string | boolean {
  const t = raw.trim();
  if (t === 'always()') return true;
  if (t === 'success()') return !ctx.failed;
  if (t === 'failure()') return ctx.failed;
  const literal = /^'([^']*)'$/.exec(t);
  if (literal) return literal[1] ?? '';
  const starts = /^startsWith\(([\w.-]+),\s*'([^']*)'\)$/.exec(t);
  if (starts) return value(ctx, starts[1] ?? '').startsWith(starts[2] ?? '');
  const compare = /^([\w.-]+)\s*(==|!=)\s*'([^']*)'$/.exec(t);
  if (compare) return (value(ctx, compare[1] ?? '') === compare[3]) === (compare[2] === '==');
  // Output names may contain dashes (`steps.failover.outputs.changed-services`).
  if (/^[\w.-]+$/.test(t)) return value(ctx, t);
  throw new Error(`the sandbox runner does not evaluate "${t}"`);
}

/** Evaluates an `if:` (conjunctions of the forms above). A missing `if` means success(). */
export function evaluateIf(ctx: ExprContext, condition: string | undefined): boolean {
  const text = (condition ?? 'success()').replace(/^\$\{\{\s*|\s*\}\}$/g, '');
  const parts = text.split('&&').map((p) => term(ctx, p));
  const usesStatus = /\b(always|success|failure)\(\)/.test(text);
  return parts.every(Boolean) && (usesStatus || !ctx.failed);
}

/** Replaces every `${{ expr }}` in a string. */
export function interpolate(ctx: ExprContext, text: string): string {
  return text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_m, expr: string) => String(term(ctx, expr)));
}
