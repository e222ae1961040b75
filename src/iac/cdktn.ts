// What the runner needs to know about a cdktn app: where the infra repo's own cdktn CLI is, and which
// stacks a synth produced (cdktf.out/manifest.json), so a wrong `stack` is named, not a missing folder.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { IacError, tailLines } from './errors.js';

/** Where `cdktn synth` writes; passed explicitly so a cdktf.json "output" cannot move it. */
export const CDKTN_OUT = 'cdktf.out';

/**
 * `node_modules/.bin/cdktn` in the app directory or the nearest parent that has one, never above
 * `root` (the repository): the infra repo's own pinned cdktn-cli, not whatever a runner has globally.
 */
export function findCdktnCli(appDir: string, root = appDir): string | undefined {
  const top = resolve(root);
  let dir = resolve(appDir);
  for (;;) {
    const candidate = join(dir, 'node_modules', '.bin', 'cdktn');
    if (existsSync(candidate)) return candidate;
    if (dir === top || relative(top, dir).startsWith('..')) return undefined;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export function cdktnCliMissing(appDir: string): IacError {
  return new IacError(
    `cdktn CLI not found: no node_modules/.bin/cdktn in ${appDir} or its parents inside the repository. ` +
      'Add cdktn-cli to the infra repo (npm install -D cdktn-cli) and install its dependencies (npm ci) before this step.',
    'synth',
  );
}

/** The stacks a synth wrote, from its manifest; a clear error when `stack` is not one of them. */
export function assertStackSynthesised(appDir: string, stack: string): void {
  const manifestPath = join(appDir, CDKTN_OUT, 'manifest.json');
  let stacks: string[];
  try {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { stacks?: Record<string, unknown> };
    stacks = Object.keys(manifest.stacks ?? {});
  } catch {
    throw new IacError(`cdktn synth wrote no readable ${CDKTN_OUT}/manifest.json in ${appDir}`, 'synth');
  }
  if (!stacks.includes(stack)) {
    throw new IacError(
      `stack "${stack}" is not in the synthesised app (stacks: ${stacks.join(', ') || 'none'}); check the input "stack"`,
      'synth',
    );
  }
}

/**
 * The error a failed app threw, e.g. `FailoverSynthError: state/failover.json: key … holds …`: cdktn
 * wraps it in pages of its own output, so it is lifted to the front of the message.
 */
export function synthFailure(exitCode: number, stdout: string, stderr: string): IacError {
  const text = `${stdout}\n${stderr}`;
  const causes = text.match(/^\s*[A-Z]\w*Error: .+$/gm) ?? [];
  const cause = causes.at(-1)?.trim();
  const tail = tailLines(stderr) || tailLines(stdout);
  return new IacError(
    `cdktn synth failed with exit code ${exitCode}${cause ? `: ${cause}` : ''}${tail ? `\n${tail}` : ''}`,
    'synth',
    exitCode,
    tail,
  );
}
