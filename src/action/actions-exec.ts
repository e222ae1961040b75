// How the Action runs terraform/tofu: through @actions/exec, the runner toolkit's process runner, with
// its line listeners handing every line to the IaC runner's onLine as the process prints it, so plan and
// apply output appears in the step's log group live instead of all at once at the end.
// @actions/exec echoes nothing itself here (silent): the lines go through core.info, inside the group.
import { accessSync, constants, existsSync } from 'node:fs';
import { getExecOutput } from '@actions/exec';
import type { ExecFn } from '../iac/exec.js';

export const actionsExec: ExecFn = async (file, args, options) => {
  checkRunnable(file);
  const env = Object.fromEntries(
    Object.entries(options.env).filter((e): e is [string, string] => e[1] !== undefined),
  );
  const onLine = options.onLine;
  try {
    const out = await getExecOutput(quoteTool(file), args, {
      cwd: options.cwd,
      env,
      silent: true,
      ignoreReturnCode: true,
      ...(onLine ? { listeners: { stdline: onLine, errline: onLine } } : {}),
    });
    return { exitCode: out.exitCode, stdout: out.stdout, stderr: out.stderr };
  } catch (err: unknown) {
    // @actions/exec reports a tool it cannot find in words; the runner explains ENOENT to the user.
    if (err instanceof Error && /Unable to locate executable file/.test(err.message)) {
      throw Object.assign(new Error(err.message), { code: 'ENOENT' });
    }
    throw err;
  }
};

/** A path (not a name looked up on PATH) that exists but cannot be run fails like spawn does: EACCES. */
function checkRunnable(file: string): void {
  if (!file.includes('/') || !existsSync(file)) return;
  try {
    accessSync(file, constants.X_OK);
  } catch {
    throw Object.assign(new Error(`${file} is not executable`), { code: 'EACCES' });
  }
}

/** @actions/exec splits its first argument on spaces unless quoted; a tool path may contain spaces. */
function quoteTool(file: string): string {
  return /[\s"]/.test(file) ? `"${file.replaceAll('"', '\\"')}"` : file;
}
