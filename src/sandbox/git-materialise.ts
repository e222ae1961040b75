// Turns the in-memory GitHub's commits into a real git repository: the objects are written as git's
// own loose objects (zlib of "type size\0content"), so the commit ids stay the ids GitHub sent and the
// Action's `git show <sha>:<path>` works on a checkout exactly as on a GitHub runner.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { deflateSync } from 'node:zlib';
import { commitObjects, type GitObject } from '../memory-github/git-objects.js';
import type { RepoState } from '../memory-github/index.js';

const run = promisify(execFile);

export async function git(dir: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('git', ['-C', dir, ...args], { encoding: 'utf8' });
  return stdout;
}

function writeLoose(gitDir: string, object: GitObject): void {
  const file = join(gitDir, 'objects', object.sha.slice(0, 2), object.sha.slice(2));
  if (existsSync(file)) return;
  mkdirSync(join(gitDir, 'objects', object.sha.slice(0, 2)), { recursive: true });
  const raw = Buffer.concat([Buffer.from(`${object.type} ${object.content.length}\0`), object.content]);
  writeFileSync(file, deflateSync(raw));
}

/** Writes `sha` and its ancestors (up to `depth` commits) into the repository at `workTree`. */
export function writeHistory(workTree: string, repo: RepoState, sha: string, depth = 50): void {
  const gitDir = join(workTree, '.git');
  let frontier = [sha];
  for (let level = 0; level < depth && frontier.length > 0; level++) {
    const next: string[] = [];
    for (const id of frontier) {
      const commit = repo.commits.get(id);
      if (!commit) throw new Error(`commit ${id} is not in ${repo.owner}/${repo.name}`);
      const objects = commitObjects(commit);
      if (objects.at(-1)?.sha !== id) throw new Error(`commit ${id} does not hash to its id`);
      for (const object of objects) writeLoose(gitDir, object);
      next.push(...commit.parents);
    }
    frontier = next;
  }
}

/**
 * What actions/checkout does on a self-hosted runner whose workspace persists between jobs: the
 * commit is made present and checked out (detached), untracked files such as terraform's local state
 * stay where they are.
 */
export async function checkout(
  workTree: string,
  repo: RepoState,
  sha: string,
  branch: string,
): Promise<void> {
  if (!existsSync(join(workTree, '.git'))) {
    mkdirSync(workTree, { recursive: true });
    await git(workTree, 'init', '--quiet', `--initial-branch=${branch}`);
  }
  writeHistory(workTree, repo, sha);
  await git(workTree, 'update-ref', `refs/remotes/origin/${branch}`, sha);
  await git(workTree, 'checkout', '--quiet', '--force', '--detach', sha);
}
