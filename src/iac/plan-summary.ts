// Summary of `terraform show -json <planfile>` output (plan JSON format_version 0.1, 0.2 and 1.x;
// OpenTofu writes the same format). Everything a reviewer needs to judge a failover flip, with
// sensitive values masked; the raw sensitive strings go to `secrets` only, for log masking.
import { UserError } from '../core/errors.js';
import { anySensitive, maskValue, SENSITIVE, SecretSink, scrubSecrets } from './plan-mask.js';

export { renderPlanSummary } from './plan-render.js';

export type ChangeAction = 'create' | 'update' | 'delete' | 'replace' | 'no-op' | 'read' | 'forget';

export interface AttributeChange {
  /** Top-level attribute name. */
  name: string;
  /** Masked: "(sensitive)" and "(known after apply)" stand in for hidden values. */
  before: unknown;
  after: unknown;
  /** This attribute forces the replacement (from `replace_paths`). */
  forcesReplacement: boolean;
}

export interface ResourceChangeSummary {
  address: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  /** Module address (`module.a.module.b`), absent in the root module. */
  module?: string;
  index?: string | number;
  action: ChangeAction;
  /** For replace: Terraform's order (`create_before_destroy` gives create-first). */
  replaceOrder?: 'delete-first' | 'create-first';
  /** `action_reason` from the plan, e.g. `replace_because_tainted`. */
  reason?: string;
  /** Previous address when the resource was moved. */
  movedFrom?: string;
  importing?: boolean;
  /** Changed top-level attributes (masked). */
  attributes: AttributeChange[];
}

export interface OutputChangeSummary {
  name: string;
  action: ChangeAction;
  sensitive: boolean;
  before: unknown;
  after: unknown;
}

export interface CheckSummary {
  address: string;
  kind: string;
  status: 'pass' | 'fail' | 'error' | 'unknown';
  problems: string[];
}

export interface PlanCounts {
  create: number;
  update: number;
  delete: number;
  replace: number;
  no_op: number;
  read: number;
  forget: number;
}

export interface PlanSummary {
  formatVersion: string;
  terraformVersion?: string;
  counts: PlanCounts;
  /** Any resource or output would change when applied. */
  hasChanges: boolean;
  resources: ResourceChangeSummary[];
  /** Changes made outside Terraform since the last apply (`resource_drift`). */
  drift: ResourceChangeSummary[];
  outputs: OutputChangeSummary[];
  checks: CheckSummary[];
  /** The plan is partial (`complete: false`) or stopped on an error (`errored: true`). */
  complete: boolean;
  errored: boolean;
  /** Raw sensitive strings, longest first. For `core.setSecret`; NEVER render these. */
  secrets: string[];
}

type Json = Record<string, unknown>;

const NOT_A_PLAN =
  'is not a Terraform plan: expected the output of `terraform show -json <planfile>` (a plan saved with `terraform plan -out=<planfile>`)';

export function summarisePlan(planJson: unknown): PlanSummary {
  const plan = asPlanObject(planJson);
  const sink = new SecretSink();
  collectKnownSecrets(plan, sink);

  const resources = asArray(plan.resource_changes).map((rc) => summariseResource(rc, sink));
  const drift = asArray(plan.resource_drift).map((rc) => summariseResource(rc, sink));
  const outputs = summariseOutputs(plan, sink);
  const checks = asArray(plan.checks).map(summariseCheck);

  // Masking happens structurally above; the scrub catches unmarked copies of secrets found anywhere.
  for (const item of [...resources, ...drift]) {
    for (const attribute of item.attributes) {
      attribute.before = scrubSecrets(attribute.before, sink);
      attribute.after = scrubSecrets(attribute.after, sink);
    }
  }
  for (const check of checks) check.problems = check.problems.map((p) => (sink.leaksInto(p) ? SENSITIVE : p));
  for (const output of outputs) {
    output.before = scrubSecrets(output.before, sink);
    output.after = scrubSecrets(output.after, sink);
  }

  const counts: PlanCounts = { create: 0, update: 0, delete: 0, replace: 0, no_op: 0, read: 0, forget: 0 };
  for (const item of resources) counts[item.action === 'no-op' ? 'no_op' : item.action] += 1;

  const formatVersion = String(plan.format_version);
  // Format 0.1 (Terraform 0.12/0.13) reported every output as "create" even with nothing to do,
  // so only later formats let output changes count as changes (as `-detailed-exitcode` does).
  const outputsCount = !formatVersion.startsWith('0.1') && outputs.some((o) => o.action !== 'no-op');
  const resourcesChange = resources.some((r) => r.action !== 'no-op' && r.action !== 'read');

  return {
    formatVersion,
    ...(typeof plan.terraform_version === 'string' ? { terraformVersion: plan.terraform_version } : {}),
    counts,
    hasChanges: resourcesChange || outputsCount,
    resources,
    drift,
    outputs,
    checks,
    complete: plan.complete !== false,
    errored: plan.errored === true,
    secrets: sink.list(),
  };
}

/** Parses (when given text) and validates the top-level shape; refuses states and other JSON. */
function asPlanObject(planJson: unknown): Json {
  let value = planJson;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      throw new UserError(`The plan text is not JSON, so it ${NOT_A_PLAN}.`, 'plan_not_json');
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UserError(
      `The plan body ${NOT_A_PLAN}; got ${Array.isArray(value) ? 'an array' : String(value === null ? 'null' : typeof value)}.`,
      'not_a_plan',
    );
  }
  const plan = value as Json;
  const looksLikePlan = 'resource_changes' in plan || 'planned_values' in plan || 'output_changes' in plan;
  if (!looksLikePlan && 'values' in plan && 'format_version' in plan) {
    throw new UserError(
      'This JSON is a Terraform state, not a plan (it has `values` and no `planned_values`/`resource_changes`). ' +
        'Run `terraform plan -out=plan.tfplan` and summarise `terraform show -json plan.tfplan`.',
      'state_not_plan',
    );
  }
  if (!looksLikePlan || typeof plan.format_version !== 'string') {
    throw new UserError(
      `The JSON body ${NOT_A_PLAN}; it has no \`format_version\` with \`planned_values\` or \`resource_changes\`.`,
      'not_a_plan',
    );
  }
  const major = Number.parseInt(plan.format_version, 10);
  if (!(major === 0 || major === 1)) {
    throw new UserError(
      `Plan JSON format_version ${plan.format_version} is not supported (0.x and 1.x are); upgrade gitops-failover.`,
      'plan_format_unsupported',
    );
  }
  return plan;
}

/** Secrets that are known before looking at changes: sensitive variables, outputs and state values. */
function collectKnownSecrets(plan: Json, sink: SecretSink): void {
  const config = asObject(asObject(plan.configuration).root_module);
  const variableConfig = asObject(config.variables);
  for (const [name, variable] of Object.entries(asObject(plan.variables))) {
    if (asObject(variableConfig[name]).sensitive === true) sink.addValue(asObject(variable).value);
  }
  for (const values of [asObject(plan.planned_values), asObject(asObject(plan.prior_state).values)]) {
    for (const output of Object.values(asObject(values.outputs))) {
      const o = asObject(output);
      if (o.sensitive === true) sink.addValue(o.value);
    }
    walkModule(values.root_module, sink);
  }
}

function walkModule(module: unknown, sink: SecretSink): void {
  const m = asObject(module);
  for (const resource of asArray(m.resources)) {
    const r = asObject(resource);
    sink.addMarked(r.values, r.sensitive_values);
  }
  for (const child of asArray(m.child_modules)) walkModule(child, sink);
}

function summariseResource(raw: unknown, sink: SecretSink): ResourceChangeSummary {
  const rc = asObject(raw);
  const change = asObject(rc.change);
  const address = String(rc.address ?? '(unknown address)');
  const { action, replaceOrder } = classifyActions(change.actions, address);
  sink.addMarked(change.before, change.before_sensitive);
  sink.addMarked(change.after, change.after_sensitive);

  const summary: ResourceChangeSummary = {
    address,
    mode: rc.mode === 'data' ? 'data' : 'managed',
    type: String(rc.type ?? ''),
    name: String(rc.name ?? ''),
    action,
    attributes: action === 'no-op' || action === 'read' ? [] : changedAttributes(change, action),
  };
  if (typeof rc.module_address === 'string') summary.module = rc.module_address;
  if (typeof rc.index === 'string' || typeof rc.index === 'number') summary.index = rc.index;
  if (replaceOrder) summary.replaceOrder = replaceOrder;
  if (typeof rc.action_reason === 'string') summary.reason = rc.action_reason;
  if (typeof rc.previous_address === 'string' && rc.previous_address !== address)
    summary.movedFrom = rc.previous_address;
  if (change.importing !== undefined && change.importing !== null) summary.importing = true;
  return summary;
}

function classifyActions(
  actions: unknown,
  address: string,
): Pick<ResourceChangeSummary, 'action' | 'replaceOrder'> {
  const list = Array.isArray(actions) ? actions.map(String) : [];
  const key = list.join(',');
  switch (key) {
    case 'no-op':
    case 'create':
    case 'read':
    case 'update':
    case 'delete':
    case 'forget':
      return { action: key };
    case 'delete,create':
      return { action: 'replace', replaceOrder: 'delete-first' };
    case 'create,delete':
      return { action: 'replace', replaceOrder: 'create-first' };
    case 'create,forget':
      // Terraform 1.7+: a new object replaces one that is only dropped from state.
      return { action: 'replace', replaceOrder: 'create-first' };
    default:
      throw new UserError(
        `Plan entry ${address} has actions [${list.join(', ')}] that this version cannot classify.`,
        'plan_unknown_action',
      );
  }
}

/** Top-level attributes whose value differs between before and after, masked. */
function changedAttributes(change: Json, action: ChangeAction): AttributeChange[] {
  if (action === 'delete' || action === 'forget') return [];
  const before = asObject(change.before);
  const after = asObject(change.after);
  const afterUnknown = asObject(change.after_unknown);
  const forcing = new Set(
    asArray(change.replace_paths).map((path) => String(Array.isArray(path) ? path[0] : path)),
  );
  const names = new Set([...Object.keys(before), ...Object.keys(after), ...Object.keys(afterUnknown)]);
  const result: AttributeChange[] = [];
  for (const name of [...names].sort()) {
    const unknownAfter = afterUnknown[name];
    const sensitiveBefore = childKey(change.before_sensitive, name);
    const sensitiveAfter = childKey(change.after_sensitive, name);
    const same = unknownAfter !== true && isDeepEqual(before[name], after[name]);
    // Equal values are not shown; a value that stays the same but turns (in)sensitive is.
    if (same && anySensitive(sensitiveBefore) === anySensitive(sensitiveAfter)) continue;
    // On create, computed attributes (unknown until apply) and nulls are noise, not decisions.
    if (action === 'create' && (unknownAfter === true || after[name] === null || after[name] === undefined)) {
      continue;
    }
    result.push({
      name,
      before: action === 'create' ? null : maskValue(before[name] ?? null, sensitiveBefore),
      after: maskValue(after[name] ?? null, sensitiveAfter, unknownAfter),
      forcesReplacement: forcing.has(name),
    });
  }
  return result;
}

function summariseOutputs(plan: Json, sink: SecretSink): OutputChangeSummary[] {
  const configured = asObject(asObject(asObject(plan.configuration).root_module).outputs);
  const planned = asObject(asObject(plan.planned_values).outputs);
  const result: OutputChangeSummary[] = [];
  for (const [name, raw] of Object.entries(asObject(plan.output_changes))) {
    const change = asObject(raw);
    const sensitive =
      anySensitive(change.before_sensitive) ||
      anySensitive(change.after_sensitive) ||
      asObject(configured[name]).sensitive === true ||
      asObject(planned[name]).sensitive === true;
    const { action } = classifyActions(change.actions, `output.${name}`);
    if (sensitive) {
      sink.addValue(change.before);
      sink.addValue(change.after);
    }
    result.push({
      name,
      action,
      sensitive,
      before: sensitive
        ? maskedOrNull(change.before)
        : maskValue(change.before ?? null, change.before_sensitive),
      after: sensitive
        ? change.after_unknown === true
          ? maskValue(null, undefined, true)
          : maskedOrNull(change.after)
        : maskValue(change.after ?? null, change.after_sensitive, change.after_unknown),
    });
  }
  return result;
}

function maskedOrNull(value: unknown): unknown {
  return value === null || value === undefined ? null : maskValue(value, true);
}

function summariseCheck(raw: unknown): CheckSummary {
  const check = asObject(raw);
  const address = asObject(check.address);
  const status = ['pass', 'fail', 'error', 'unknown'].includes(String(check.status))
    ? (check.status as CheckSummary['status'])
    : 'unknown';
  const problems: string[] = [];
  for (const instance of asArray(check.instances)) {
    for (const problem of asArray(asObject(instance).problems)) {
      const message = asObject(problem).message;
      if (typeof message === 'string') problems.push(message);
    }
  }
  return { address: String(address.to_display ?? ''), kind: String(address.kind ?? ''), status, problems };
}

function childKey(tree: unknown, key: string): unknown {
  if (tree === true) return true;
  return asObject(tree)[key];
}

function isDeepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if ((a ?? null) === null && (b ?? null) === null) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((key) => isDeepEqual((a as Json)[key], (b as Json)[key]));
}

function asObject(value: unknown): Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
