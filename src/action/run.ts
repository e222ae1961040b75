// The Action's top level: load the config, dispatch on the command, and always leave a report of what
// ran, even when a step fails half-way.
import { changedServices, type ServiceChange } from '../core/changes.js';
import { parseConfig } from '../core/config/load.js';
import { ConfigError, UserError } from '../core/errors.js';
import { runApply } from './apply.js';
import type { ActionDeps, ActionResult, RunState } from './context.js';
import { describeFailure } from './failure.js';
import { step } from './io.js';
import { runPlan } from './plan.js';
import { renderSteps } from './report.js';
import { runVerify } from './verify-mode.js';

export async function runAction(deps: ActionDeps): Promise<ActionResult> {
  const { io, inputs } = deps;
  if (inputs.githubToken) io.setSecret(inputs.githubToken);
  const state: RunState = { deps, config: undefined as never, steps: [], changes: [] };
  let result: ActionResult;
  try {
    state.config = await step(io, state.steps, 'load config', deps.now, () => loadConfig(deps));
    const unknown = inputs.services.filter((s) => !(s in state.config.services));
    if (unknown.length > 0) {
      throw new UserError(
        `unknown service(s) in input "services": ${unknown.join(', ')} (configured: ${Object.keys(state.config.services).join(', ')})`,
      );
    }
    if (inputs.command === 'plan') result = await runPlan(state);
    else if (inputs.command === 'apply') result = await runApply(state);
    else result = await runVerify(state);
  } catch (err: unknown) {
    annotateConfigProblems(io, err);
    const message = describeFailure(err);
    result = {
      ok: false,
      changedServices: state.changes.map((c) => c.service),
      planSummary: '',
      verified: undefined,
      rtoSeconds: undefined,
      failure: message,
    };
    await io.summary(
      `## gitops-failover ${inputs.command} failed\n\n${message}\n\n${renderSteps(state.steps)}`,
    );
  }
  io.setOutput('changed-services', result.changedServices.join(','));
  io.setOutput('plan-summary', result.planSummary);
  io.setOutput('verified', result.verified === undefined ? '' : String(result.verified));
  io.setOutput('rto-seconds', result.rtoSeconds === undefined ? '' : String(result.rtoSeconds));
  if (!result.ok) io.setFailed(result.failure ?? `gitops-failover ${inputs.command} failed`);
  return result;
}

/**
 * Each problem of an invalid config becomes an error annotation on its file, line and column, so the
 * run's summary and the file view on GitHub point at it (the failure message still lists them all).
 */
function annotateConfigProblems(io: ActionDeps['io'], err: unknown): void {
  if (!(err instanceof ConfigError)) return;
  for (const issue of err.issues) {
    io.error(issue.path ? `${issue.path}: ${issue.message}` : issue.message, {
      title: 'gitops-failover config',
      file: issue.file,
      startLine: issue.line,
      startColumn: issue.column,
    });
  }
}

/**
 * The config that judges this run. On a pull request it is read at the base commit: a PR must not be
 * able to change the checks (preflight) that judge it. A config that is new in the PR is the exception,
 * announced with a warning, so a repo can be onboarded with one PR.
 */
async function loadConfig(deps: ActionDeps) {
  const { inputs, io } = deps;
  const baseSha: unknown = deps.event.payload?.pull_request?.base?.sha;
  if (inputs.command === 'plan' && typeof baseSha === 'string') {
    const atBase = await deps.readAt(baseSha, inputs.config);
    if (atBase !== undefined) return parseConfig(atBase, inputs.config);
    io.warning(`${inputs.config} does not exist on the base branch yet; using the pull request's copy`);
  }
  const text = deps.readWorking(inputs.config);
  if (text === undefined) throw new UserError(`${inputs.config} not found in the checked-out repository`);
  return parseConfig(text, inputs.config);
}

/** The state files of every configured service, read at two commits, diffed into service changes. */
export async function diffCommits(
  state: RunState,
  beforeSha: string | undefined,
  afterSha: string,
): Promise<ServiceChange[]> {
  const { deps, config } = state;
  const paths = [...new Set(Object.values(config.services).map((s) => s.state.file))];
  const read = async (sha: string | undefined) => {
    const files = new Map<string, string | undefined>();
    for (const path of paths) files.set(path, sha ? await deps.readAt(sha, path) : undefined);
    return (path: string) => files.get(path);
  };
  const base = beforeSha && !/^0+$/.test(beforeSha) ? beforeSha : undefined;
  const before = await read(base);
  const after = await read(afterSha);
  try {
    return changedServices(config, before, after, deps.inputs.services);
  } catch (err: unknown) {
    // Say which commits were read: the broken file may be the old or the new one.
    const range = `${base?.slice(0, 7) ?? '(none)'}..${afterSha.slice(0, 7)}`;
    throw new UserError(`${describeFailure(err)} (comparing commits ${range})`);
  }
}
