// What the runner tells the Action through its environment: repository, event, commit, URLs. Read at
// call time (not at import time, as @actions/github's module-level `context` does), so one process can
// run the Action more than once (tests) and a bad event file is a clear error instead of a crash.
import { UserError } from '../core/errors.js';
import type { ActionEvent } from './context.js';

export interface RunnerEnv {
  event: ActionEvent;
  workspace: string;
  apiUrl: string;
}

export function readRunnerEnv(
  env: Record<string, string | undefined>,
  readFile: (path: string) => string,
  cwd: string,
): RunnerEnv {
  const [owner, repo, ...rest] = (env.GITHUB_REPOSITORY ?? '').split('/');
  if (!owner || !repo || rest.length > 0) {
    throw new UserError(`GITHUB_REPOSITORY must be "owner/repo" (got "${env.GITHUB_REPOSITORY ?? ''}")`);
  }
  let payload: unknown = {};
  if (env.GITHUB_EVENT_PATH) {
    let text: string;
    try {
      text = readFile(env.GITHUB_EVENT_PATH);
    } catch {
      throw new UserError(`the event payload ${env.GITHUB_EVENT_PATH} (GITHUB_EVENT_PATH) cannot be read`);
    }
    try {
      payload = JSON.parse(text);
    } catch {
      throw new UserError(`the event payload ${env.GITHUB_EVENT_PATH} (GITHUB_EVENT_PATH) is not JSON`);
    }
  }
  const server = env.GITHUB_SERVER_URL || 'https://github.com';
  return {
    event: {
      name: env.GITHUB_EVENT_NAME ?? '',
      payload,
      sha: env.GITHUB_SHA ?? '',
      owner,
      repo,
      runUrl: env.GITHUB_RUN_ID ? `${server}/${owner}/${repo}/actions/runs/${env.GITHUB_RUN_ID}` : undefined,
    },
    workspace: env.GITHUB_WORKSPACE || cwd,
    apiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
  };
}
