// An infra repo the way a cdktn user has it: examples/cdktn-infra copied to a temp dir, with a
// node_modules that holds gitops-failover as npm would install it (package.json with its "exports",
// lib/cdktn built by scripts/build-cdktn.mjs) next to the repo's own cdktn, constructs,
// @cdktn/provider-aws and cdktn-cli (links into this project's node_modules, so one copy of each).
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
// @ts-expect-error: a plain .mjs build script without declarations
import { buildCdktn } from '../../scripts/build-cdktn.mjs';
import { editState } from '../../src/core/state/index.js';
import { gitIn } from './action-harness.js';

const here = dirname(fileURLToPath(import.meta.url));
export const PROJECT_ROOT = join(here, '..', '..');
export const CDKTN_EXAMPLE = join(PROJECT_ROOT, 'examples', 'cdktn-infra');
const PROJECT_MODULES = join(PROJECT_ROOT, 'node_modules');

/** The packages the infra repo installs itself (cdktn, its CLI, the compiler for its typecheck). */
const INFRA_PACKAGES = [
  'cdktn',
  'constructs',
  '@cdktn/provider-aws',
  'cdktn-cli',
  '@types/node',
  'typescript',
];

/** What npm installs next to gitops-failover: its own dependencies (lib/cdktn imports some of them). */
function gitopsFailoverDependencies(): string[] {
  const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  return Object.keys(pkg.dependencies ?? {});
}

/** Builds the gitops-failover package once into `dir` (package.json + lib/cdktn), as `npm pack` would. */
export async function installGitopsFailover(modulesDir: string): Promise<void> {
  const pkg = join(modulesDir, 'gitops-failover');
  mkdirSync(pkg, { recursive: true });
  cpSync(join(PROJECT_ROOT, 'package.json'), join(pkg, 'package.json'));
  await buildCdktn(join(pkg, 'lib', 'cdktn'));
}

export interface CdktnRepo {
  dir: string;
  git(...args: string[]): string;
  /** Edits `key` of state/failover.json with the bot's state editor and commits; returns the commit. */
  flip(key: string, value: unknown): string;
  cleanup(): void;
}

export const CDKTN_STATE = 'state/failover.json';

/**
 * A temp copy of the example cdktn app with its node_modules. `gitopsFailover` is a directory built by
 * installGitopsFailover (shared by the tests of a file: building it takes a few seconds).
 */
export function makeCdktnRepo(gitopsFailover: string, o: { git?: boolean; config?: string } = {}): CdktnRepo {
  const dir = mkdtempSync(join(tmpdir(), 'failover-cdktn-repo-'));
  cpSync(CDKTN_EXAMPLE, dir, {
    recursive: true,
    filter: (src) =>
      !/[\\/](node_modules|cdktf\.out|\.terraform)([\\/]|$)/.test(src) && !src.endsWith('.tfstate'),
  });
  const modules = join(dir, 'node_modules');
  mkdirSync(join(modules, '.bin'), { recursive: true });
  for (const name of new Set([...INFRA_PACKAGES, ...gitopsFailoverDependencies()])) {
    mkdirSync(dirname(join(modules, name)), { recursive: true });
    symlinkSync(join(PROJECT_MODULES, name), join(modules, name), 'dir');
  }
  // A copy, not a link: Node resolves a linked package's imports from its real path, outside this repo.
  cpSync(join(gitopsFailover, 'gitops-failover'), join(modules, 'gitops-failover'), { recursive: true });
  symlinkSync('../cdktn-cli/bin/cdktn', join(modules, '.bin', 'cdktn'));
  symlinkSync('../typescript/bin/tsc', join(modules, '.bin', 'tsc'));
  const git = gitIn(dir);
  if (o.config) writeFileSync(join(dir, '.github', 'failover.yml'), o.config);
  if (o.git) {
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('commit', '-q', '-m', 'cdktn infra repo');
  }
  const flip = (key: string, value: unknown) => {
    const path = join(dir, CDKTN_STATE);
    writeFileSync(path, editState(CDKTN_STATE, readFileSync(path, 'utf8'), key, value).newText);
    git('commit', '-q', '-am', `Failover: ${key}`);
    return git('rev-parse', 'HEAD');
  };
  return { dir, git, flip, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The environment a CI job gives the synth: Node 24 (this project's) first on PATH, no checkpoint calls. */
export function synthEnv(): Record<string, string | undefined> {
  return {
    ...process.env,
    PATH: `${join(PROJECT_MODULES, '.bin')}:${process.env.PATH ?? ''}`,
    CHECKPOINT_DISABLE: '1',
  };
}

/** The log groups of an apply with iac cdktn, in order: synth, then the Terraform mode's steps. */
export const CDKTN_APPLY_STEPS = [
  'load config',
  'find changed services',
  'find the failover PR',
  'cdktn synth',
  'terraform init',
  'terraform plan',
  'terraform show -json',
  'terraform apply',
  'verify',
];
