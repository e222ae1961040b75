// Reads files at a commit from the checked-out repository with git (no API calls, no rate limits).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { UserError } from '../core/errors.js';

const run = promisify(execFile);

function stderrOf(err: unknown): string {
  return String((err as { stderr?: unknown }).stderr ?? '').trim();
}

export function gitReader(workspace: string) {
  const git = (...args: string[]) =>
    run('git', ['-C', workspace, ...args], { maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' });
  const present = new Set<string>();

  // `git show <full sha>:path` on a commit the clone lacks says the PATH is missing, so the commit is
  // checked first: otherwise a shallow checkout would read every old state file as absent.
  const ensureCommit = async (sha: string) => {
    if (present.has(sha)) return;
    try {
      await git('cat-file', '-e', `${sha}^{commit}`);
    } catch {
      // A shallow checkout (actions/checkout's default) lacks the other commit: fetch just that one.
      try {
        await git('fetch', '--no-tags', '--depth=1', 'origin', sha);
      } catch (err: unknown) {
        throw new UserError(
          `commit ${sha} is not in the checkout and could not be fetched; use actions/checkout with fetch-depth: 0 (${stderrOf(err).slice(0, 200)})`,
        );
      }
    }
    present.add(sha);
  };

  return async (sha: string, path: string): Promise<string | undefined> => {
    if (!/^[0-9a-f]{7,64}$/i.test(sha)) throw new UserError(`"${sha}" is not a commit sha`);
    await ensureCommit(sha);
    try {
      return (await git('show', `${sha}:${path}`)).stdout;
    } catch (err: unknown) {
      const stderr = stderrOf(err);
      if (/does not exist in|exists on disk, but not in/.test(stderr)) return undefined;
      throw new Error(`git show ${sha}:${path} failed: ${stderr}`);
    }
  };
}
