// `failover plan-summary PLAN.json [--json]`: the Action's plan summary from a saved
// `terraform show -json <planfile>` output, for people (markdown) and scripts (--json).

import { UserError } from '../../core/errors.js';
import { renderPlanSummary } from '../../iac/plan-render.js';
import { summarisePlan } from '../../iac/plan-summary.js';
import { parseCommandArgs, parseJsonFile, readInput } from '../args.js';
import { CliError, EXIT_OK } from '../errors.js';
import type { CliIo } from '../io.js';

export const PLAN_SUMMARY_HELP = `Usage: failover plan-summary PLAN.json [--json]

Summarises a Terraform/OpenTofu plan saved as JSON (terraform plan -out=tfplan && terraform show -json
tfplan > PLAN.json): creates, updates, deletes and replaces per resource, drift, with sensitive values masked.

Options:
  --json      print { "create", "update", "delete", "replace", "no_op", "resources": [{ "address", "action" }] }
  -h, --help  show this help

Exit status: 0 done, 2 unreadable file or not a plan.
`;

export function runPlanSummary(args: string[], io: CliIo): number {
  const { values, positionals } = parseCommandArgs('plan-summary', args, { json: { type: 'boolean' } }, true);
  if (values.help) {
    io.stdout(PLAN_SUMMARY_HELP);
    return EXIT_OK;
  }
  const [file, ...extra] = positionals;
  if (!file || extra.length > 0) {
    throw new CliError(
      "failover plan-summary: give exactly one PLAN.json\nRun 'failover plan-summary --help' for usage.",
    );
  }
  const plan = parseJsonFile(readInput(io.readFile, file, 'plan'), file, 'plan');
  let summary: ReturnType<typeof summarisePlan>;
  try {
    summary = summarisePlan(plan);
  } catch (err: unknown) {
    if (err instanceof UserError) throw new CliError(`${file}: ${err.message}`);
    throw err;
  }
  if (values.json) {
    const { create, update, delete: del, replace, no_op } = summary.counts;
    const out = {
      create,
      update,
      delete: del,
      replace,
      no_op,
      has_changes: summary.hasChanges,
      resources: summary.resources.map((r) => ({ address: r.address, action: r.action })),
    };
    io.stdout(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    io.stdout(`${renderPlanSummary(summary)}\n`);
  }
  return EXIT_OK;
}
