// A local checkout of an infra repo seen the way the bot sees the default branch: the config, the
// desired-state files it names and whether the freeze file exists. No history and no open PRs: a local
// simulation starts from a quiet repo.
import { basename, join, resolve } from 'node:path';
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

/** Loads and validates a config file; invalid configs become a CliError listing every issue. */
export function loadConfigFile(io: CliIo, file: string): FailoverConfig {
  const text = readInput(io.readFile, file, 'config');
  try {
    return parseConfig(text, file);
  } catch (err: unknown) {
    if (err instanceof ConfigError) {
      throw new CliError(
        `invalid config (${err.issues.length} problem${err.issues.length === 1 ? '' : 's'}):\n${err.message}`,
      );
    }
    throw err;
  }
}

export function readLocalRepo(io: CliIo, dir: string): LocalRepo {
  if (!io.exists(dir)) throw new CliError(`repo directory ${dir} does not exist`);
  const configFile = join(dir, DEFAULT_CONFIG_FILE);
  if (!io.exists(configFile)) {
    throw new CliError(`${dir} has no ${DEFAULT_CONFIG_FILE}; is it the root of an infra repo?`);
  }
  const config = loadConfigFile(io, configFile);
  const files: Record<string, string> = {};
  for (const svc of Object.values(config.services)) {
    const path = svc.state.file;
    if (path in files) continue;
    const full = join(dir, path);
    // A missing state file is the policy's to report (it blocks the service), not a CLI failure.
    if (io.exists(full)) files[path] = readInput(io.readFile, full, 'state file');
  }
  const name = basename(resolve(dir));
  const view: RepoView = {
    owner: 'local',
    repo: name,
    defaultBranch: 'main',
    headSha: '0'.repeat(40),
    files,
    frozen: io.exists(join(dir, config.freeze_file)),
    history: [],
    openPrs: [],
  };
  return { dir, configFile, config, view };
}
