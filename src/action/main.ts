// The Action's entry point (bundled to dist/action/index.js): binds the runtime (@actions/core, an
// Octokit from @actions/github, git, the IaC CLI, real probes) and hands over to runAction.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as core from '@actions/core';
import { getOctokit } from '@actions/github';
import { describeThrown } from '../core/errors.js';
import { createGitHubPort } from '../github/index.js';
import { createIacRunner } from '../iac/runner.js';
import { runChecks } from '../verify/index.js';
import type { ActionResult } from './context.js';
import { gitReader } from './git.js';
import { readInputs } from './inputs.js';
import type { ActionIo } from './io.js';
import { runAction } from './run.js';
import { readRunnerEnv } from './runner-env.js';

const io: ActionIo = {
  info: core.info,
  warning: core.warning,
  error: core.error,
  setOutput: core.setOutput,
  setSecret: core.setSecret,
  setFailed: core.setFailed,
  startGroup: core.startGroup,
  endGroup: core.endGroup,
  // Appended directly: core.summary caches the file path for the life of the process.
  summary: async (markdown) => {
    const file = process.env.GITHUB_STEP_SUMMARY;
    if (file) appendFileSync(file, `${markdown}\n`);
  },
};

async function main(): Promise<ActionResult | undefined> {
  try {
    const inputs = readInputs((name) => core.getInput(name));
    // Masked before anything else can print it.
    if (inputs.githubToken) core.setSecret(inputs.githubToken);
    const { event, workspace, apiUrl } = readRunnerEnv(
      process.env,
      (path) => readFileSync(path, 'utf8'),
      process.cwd(),
    );
    const port = inputs.githubToken
      ? createGitHubPort({
          // Node's own fetch (it honours NODE_USE_ENV_PROXY), not the undici copy @actions/github ships.
          client: getOctokit(inputs.githubToken, { baseUrl: apiUrl, request: { fetch: globalThis.fetch } }),
          owner: event.owner,
          repo: event.repo,
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
      iac: createIacRunner,
      verify: runChecks,
    });
  } catch (err: unknown) {
    core.setFailed(describeThrown(err));
    return undefined;
  }
}

/** Settles when the run is over; tests await it after importing this module. */
export const done: Promise<ActionResult | undefined> = main();
