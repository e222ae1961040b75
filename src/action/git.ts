// Reads files at a commit from the checked-out repository with git (no API calls, no rate limits).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { UserError } from '../core/errors.js';

const run = promisify(execFile);

export function gitReader(workspace: string) {
  const show = (sha: string, path: string) =>
    run('git', ['-C', workspace, 'show', `${sha}:${path}`], {
      maxBuffer: 16 * 1024 * 1024,
      encoding: 'utf8',
    });
  return async (sha: string, path: string): Promise<string | undefined> => {
    if (!/^[0-9a-f]{7,64}$/i.test(sha)) throw new UserError(`"${sha}" is not a commit sha`);
    try {
      return (await show(sha, path)).stdout;
    } catch (err: unknown) {
      const stderr = String((err as { stderr?: unknown }).stderr ?? '');
      if (/does not exist|exists on disk, but not in/.test(stderr)) return undefined;
      if (!/bad object|invalid object|unknown revision|not a valid object/i.test(stderr)) {
        throw new Error(`git show ${sha}:${path} failed: ${stderr.trim()}`);
      }
    }
    // A shallow checkout lacks the other commit: fetch just that one and try again.
    try {
      await run('git', ['-C', workspace, 'fetch', '--no-tags', '--depth=1', 'origin', sha]);
      return (await show(sha, path)).stdout;
    } catch (err: unknown) {
      const stderr = String((err as { stderr?: unknown }).stderr ?? '');
      if (/does not exist|exists on disk, but not in/.test(stderr)) return undefined;
      throw new UserError(
        `commit ${sha} is not in the checkout and could not be fetched; use actions/checkout with fetch-depth: 0 (${stderr.trim().slice(0, 200)})`,
      );
    }
  };
}
