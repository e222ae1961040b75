// The Action's entry point (bundled to dist/action/index.js): binds the runtime (@actions/core,
// @actions/github, git, the IaC CLI, real probes) and hands over to runAction. Nothing else lives here.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as core from '@actions/core';
import * as github from '@actions/github';
import { describeThrown } from '../core/errors.js';
import { createGitHubPort } from '../github/index.js';
import { createIacRunner } from '../iac/runner.js';
import { runChecks } from '../verify/index.js';
import type { ActionResult } from './context.js';
import { gitReader } from './git.js';
import { readInputs } from './inputs.js';
import type { ActionIo } from './io.js';
import { runAction } from './run.js';

const io: ActionIo = {
  info: core.info,
  warning: core.warning,
  error: core.error,
  setOutput: core.setOutput,
  setSecret: core.setSecret,
  setFailed: core.setFailed,
  startGroup: core.startGroup,
  endGroup: core.endGroup,
  summary: async (markdown) => {
    if (!process.env.GITHUB_STEP_SUMMARY) return;
    await core.summary.addRaw(markdown, true).write();
  },
};

async function main(): Promise<ActionResult | undefined> {
  try {
    const inputs = readInputs((name) => core.getInput(name));
    const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
    const { owner, repo } = github.context.repo;
    const server = process.env.GITHUB_SERVER_URL ?? 'https://github.com';
    const runUrl = process.env.GITHUB_RUN_ID
      ? `${server}/${owner}/${repo}/actions/runs/${process.env.GITHUB_RUN_ID}`
      : undefined;
    const port = inputs.githubToken
      ? createGitHubPort({ client: github.getOctokit(inputs.githubToken), owner, repo })
      : undefined;
    return await runAction({
      inputs,
      event: {
        name: github.context.eventName,
        payload: github.context.payload,
        sha: github.context.sha,
        owner,
        repo,
        runUrl,
      },
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
