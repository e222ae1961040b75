// A local checkout of an infra repo seen the way the bot sees the default branch: the config, the
// desired-state files it names and whether the freeze file exists. No history and no open PRs: a local
// simulation starts from a quiet repo.
import { basename, join, posix, resolve } from 'node:path';
import { DEFAULT_CONFIG_FILE, parseConfig } from '../core/config/load.js';
import type { FailoverConfig } from '../core/config/schema.js';
import { ConfigError } from '../core/errors.js';
import type { RepoView } from '../core/types.js';
import { readInput } from './args.js';
import { CliError } from './errors.js';
import type { CliIo } from './io.js';

export interface LocalRepo {
  dir: string;
  configFile: string;
  config: FailoverConfig;
  view: RepoView;
}

function parseOrExplain(text: string, file: string): FailoverConfig {
  try {
    return parseConfig(text, file);
  } catch (err: unknown) {
    if (err instanceof ConfigError) {
      const count = err.issues.length;
      throw new CliError(`invalid config (${count} problem${count === 1 ? '' : 's'}):\n${err.message}`);
    }
    throw err;
  }
}

/**
 * Reads the repo from its working tree, or with `ref` from that git commit (`main`, `origin/main`): the
 * exact bytes the bot would read from the default branch, whatever is checked out or edited locally.
 */
export function readLocalRepo(io: CliIo, dir: string, ref?: string): LocalRepo {
  if (!io.exists(dir)) throw new CliError(`repo directory ${dir} does not exist`);
  const source = ref === undefined ? workingTree(io, dir) : gitCommit(io, dir, ref);
  const configFile = join(dir, DEFAULT_CONFIG_FILE);
  if (!source.exists(DEFAULT_CONFIG_FILE)) {
    throw new CliError(`${source.where} has no ${DEFAULT_CONFIG_FILE}; is it the root of an infra repo?`);
  }
  const config = parseOrExplain(source.read(DEFAULT_CONFIG_FILE, 'config'), configFile);
  const files: Record<string, string> = {};
  for (const svc of Object.values(config.services)) {
    const path = svc.state.file;
    // A missing state file is the policy's to report (it blocks the service), not a CLI failure.
    if (!(path in files) && source.exists(path)) files[path] = source.read(path, 'state file');
  }
  const view: RepoView = {
    owner: 'local',
    repo: basename(resolve(dir)),
    defaultBranch: ref ?? 'main',
    headSha: source.sha,
    files,
    frozen: source.exists(config.freeze_file),
    history: [],
    openPrs: [],
  };
  return { dir, configFile, config, view };
}

interface FileSource {
  where: string;
  sha: string;
  exists(path: string): boolean;
  read(path: string, what: string): string;
}

function workingTree(io: CliIo, dir: string): FileSource {
  return {
    where: dir,
    sha: '0'.repeat(40),
    exists: (path) => io.exists(join(dir, path)),
    read: (path, what) => readInput(io.readFile, join(dir, path), what),
  };
}

function gitCommit(io: CliIo, dir: string, ref: string): FileSource {
  const git = (args: string[]) => io.git(dir, args);
  let sha: string;
  let prefix: string;
  try {
    sha = git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).trim();
    // Paths in the config are relative to DIR, which may sit below the top of the git work tree.
    prefix = git(['rev-parse', '--show-prefix']).trim();
  } catch (err: unknown) {
    const why = gitMessage(err);
    throw new CliError(`--ref ${ref}: not a commit of the git repository at ${dir}${why ? ` (${why})` : ''}`);
  }
  const spec = (path: string) => `${sha}:${posix.join(prefix, path)}`;
  return {
    where: `${dir} at ${ref}`,
    sha,
    exists: (path) => {
      try {
        git(['cat-file', '-e', spec(path)]);
        return true;
      } catch {
        return false;
      }
    },
    read: (path, what) => {
      try {
        return git(['show', spec(path)]);
      } catch (err: unknown) {
        throw new CliError(`cannot read ${what} ${path} at ${ref}: ${gitMessage(err) || 'git show failed'}`);
      }
    },
  };
}

function gitMessage(err: unknown): string {
  const stderr = (err as { stderr?: unknown } | null)?.stderr;
  const text = typeof stderr === 'string' ? stderr : err instanceof Error ? err.message : '';
  return text.trim().split('\n')[0] ?? '';
}
