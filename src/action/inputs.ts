// Action inputs, validated once. Everything downstream gets typed values, never raw strings.
import { UserError } from '../core/errors.js';

export type ActionCommand = 'plan' | 'apply' | 'verify';
/** `none`: a GitOps controller (Argo CD, Flux) applies what lands; the Action only verifies and reports. */
export type IacMode = 'terraform' | 'tofu' | 'cdktn' | 'none';

export interface ActionInputs {
  command: ActionCommand;
  config: string;
  workingDirectory: string;
  iac: IacMode;
  iacBinary?: string;
  /** iac cdktn: the stack whose synthesised Terraform (cdktf.out/stacks/<stack>) is planned and applied. */
  stack?: string;
  /** Undefined when there is none: no reports to GitHub, the run still plans, applies and verifies. */
  githubToken?: string;
  services: string[];
}

/** `get` returns the trimmed input or '' (as @actions/core's getInput does). */
export function readInputs(get: (name: string) => string): ActionInputs {
  const command = get('command');
  if (command !== 'plan' && command !== 'apply' && command !== 'verify') {
    throw new UserError(`input "command" must be plan, apply or verify (got "${command}")`);
  }
  const iac = get('iac') || 'terraform';
  if (iac !== 'terraform' && iac !== 'tofu' && iac !== 'cdktn' && iac !== 'none') {
    throw new UserError(`input "iac" must be terraform, tofu, cdktn or none (got "${iac}")`);
  }
  const stack = readStack(get('stack'), iac);
  const workingDirectory = insideWorkspace('working-directory', get('working-directory') || '.');
  return {
    command,
    config: insideWorkspace('config', get('config') || '.github/failover.yml'),
    workingDirectory,
    iac,
    iacBinary: get('iac-binary') || undefined,
    stack,
    githubToken: tokenInput(get('github-token')),
    services: get('services')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  };
}

/**
 * An empty or blank token input means no token, and so does an expression nobody expanded
 * (`${{ github.token }}`, the action.yml default, as tools that run the Action outside GitHub pass it):
 * sending either as a token would only earn a 401 and hide that no token was given.
 */
export function tokenInput(raw: string): string | undefined {
  const token = raw.trim();
  if (token === '' || /^\$\{\{.*\}\}$/s.test(token)) return undefined;
  return token;
}

/** A cdktn stack name becomes a folder name under cdktf.out/stacks: nothing that could leave it. */
function readStack(value: string, iac: IacMode): string | undefined {
  if (iac !== 'cdktn') {
    if (value) throw new UserError(`input "stack" only applies to iac: cdktn (iac is ${iac})`);
    return undefined;
  }
  if (!value) {
    throw new UserError(
      'input "stack" is required with iac: cdktn: the stack whose synthesised Terraform (cdktf.out/stacks/<stack>) is planned and applied',
    );
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(value) || value.includes('..')) {
    throw new UserError(`input "stack" must be a cdktn stack name (letters, digits, . _ -), got "${value}"`);
  }
  return value;
}

/**
 * A path input must name something in the checked-out repository: no `..` segment, no absolute path
 * (which `join(workspace, path)` would otherwise resolve outside it, e.g. a runner's credentials file).
 */
function insideWorkspace(input: string, path: string): string {
  if (path.split(/[\\/]/).includes('..') || /^([\\/]|[A-Za-z]:)/.test(path) || path.includes('\0')) {
    throw new UserError(`input "${input}" must stay inside the repository (a relative path without ..)`);
  }
  return path;
}
