// The Action's logic entry: run() binds the runtime (@actions/core, an Octokit from @actions/github, git,
// the IaC CLI, real probes) and hands over to runAction. Importing this module does nothing by itself:
// src/action/index.ts (the bundle's entry) calls run(), and so does @github/local-action.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as core from '@actions/core';
import { describeThrown } from '../core/errors.js';
import { SecretRegistry, secretsFromEnvironment } from '../core/redact.js';
import { createGitHubPort } from '../github/index.js';
import { createIacRunner } from '../iac/runner.js';
import { runChecks } from '../verify/index.js';
import { actionsExec } from './actions-exec.js';
import type { ActionResult } from './context.js';
import { gitReader } from './git.js';
import { readInputs } from './inputs.js';
import { type ActionIo, redactingIo } from './io.js';
import { runAction } from './run.js';
import { readRunnerEnv } from './runner-env.js';

// Known secrets: the workflow token and every secret-looking variable the job exported (AWS keys,
// TF_VAR_*_password); later, whatever a step passes to setSecret.
const secrets = new SecretRegistry();
for (const value of secretsFromEnvironment(process.env)) secrets.add(value);

const runnerIo: ActionIo = {
  info: core.info,
  warning: core.warning,
  error: core.error,
  setOutput: core.setOutput,
  setSecret: core.setSecret,
  setFailed: core.setFailed,
  startGroup: core.startGroup,
  endGroup: core.endGroup,
  // The job summary through core.summary (appends; @github/local-action shows it). Without a summary
  // file (a local run) there is nowhere to write it, which is not an error.
  summary: async (markdown) => {
    if (!process.env.GITHUB_STEP_SUMMARY) return;
    await core.summary.addRaw(markdown, true).write();
  },
};
const io = redactingIo(runnerIo, secrets);

/** Runs the Action once with the runner's environment; settles when the run is over (never rejects). */
export async function run(): Promise<ActionResult | undefined> {
  try {
    const inputs = readInputs((name) => core.getInput(name));
    // Masked before anything else can print it.
    if (inputs.githubToken) io.setSecret(inputs.githubToken);
    const { event, workspace, apiUrl } = readRunnerEnv(
      process.env,
      (path) => readFileSync(path, 'utf8'),
      process.cwd(),
    );
    const port = inputs.githubToken
      ? createGitHubPort({
          client: (await import('./github-client.js')).actionOctokit(inputs.githubToken, apiUrl),
          owner: event.owner,
          repo: event.repo,
          redact: (text) => secrets.redact(text),
        })
      : undefined;
    return await runAction({
      inputs,
      event,
      workspace,
      io,
      now: Date.now,
      readAt: gitReader(workspace),
      readWorking: (path) => {
        const full = join(workspace, path);
        return existsSync(full) ? readFileSync(full, 'utf8') : undefined;
      },
      github: port,
      iac: (options) => createIacRunner({ ...options, exec: actionsExec }),
      verify: runChecks,
    });
  } catch (err: unknown) {
    io.setFailed(describeThrown(err));
    return undefined;
  }
}
