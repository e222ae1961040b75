// Every `failover` command the documentation shows is run against the built CLI (dist/cli/index.js),
// from the project root: it must succeed, and where the docs show its output (```console blocks), the
// lines shown must appear in that order (`...` stands for lines left out). A command that cannot run
// here (it needs GitHub, a cluster, your own files) must say so with `# needs: ...` and is listed, never
// silently passed over. Documented `npm run ... --json` must use `-s`, or npm's banner breaks the JSON.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  type DocCommand,
  documentationFiles,
  documentedCommands,
  failoverArgs,
} from '../helpers/doc-commands.js';

const CLI = 'dist/cli/index.js';
const all: DocCommand[] = documentationFiles().flatMap((file) => documentedCommands(file));
const failoverCommands = all
  .map((c) => ({ ...c, args: failoverArgs(c.argv) }))
  .filter((c): c is DocCommand & { args: string[] } => c.args !== undefined);
const runnable = failoverCommands.filter((c) => c.needs === undefined);
const skipped = failoverCommands.filter((c) => c.needs !== undefined);

function run(args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    timeout: 60_000,
  });
}

/** The shown lines (minus `...` elisions) appear in the real output, in order. */
function missingLines(shown: string[], actual: string): string[] {
  const out = actual.split('\n').map((l) => l.trimEnd());
  let at = 0;
  const missing: string[] = [];
  for (const line of shown.map((l) => l.trimEnd()).filter((l) => l !== '' && !/^\s*\.\.\.\s*$/.test(l))) {
    const found = out.indexOf(line, at);
    if (found < 0) missing.push(line);
    else at = found + 1;
  }
  return missing;
}

describe('documented commands', () => {
  it('finds the documented failover commands (README, docs/, examples/)', () => {
    expect(runnable.length).toBeGreaterThanOrEqual(10);
    for (const file of ['README.md', 'docs/cli.md', 'docs/production.md', 'examples/infra-repo/README.md']) {
      expect(
        runnable.some((c) => c.file === file),
        `${file} has runnable commands`,
      ).toBe(true);
    }
  });

  it.each(runnable.map((c) => [`${c.file}:${c.line}`, c] as const))('%s runs', (_where, c) => {
    const r = run(c.args);
    expect(r.status, `${c.text}\n${r.stderr}`).toBe(0);
    if (c.output) expect(missingLines(c.output, r.stdout), `${c.text}: shown output not printed`).toEqual([]);
  });

  it('lists what cannot run here, each with its reason', () => {
    for (const c of skipped) expect(c.needs, `${c.file}:${c.line}`).toMatch(/\S/);
    process.stdout.write(
      skipped.map((c) => `  not run (${c.needs}): ${c.file}:${c.line} ${c.text}\n`).join(''),
    );
  });

  it('puts -s in every documented `npm run ... --json`', () => {
    const npmJson = all.filter(
      (c) => c.argv[0] === 'npm' && c.argv[1] === 'run' && c.argv.includes('--json'),
    );
    for (const c of npmJson) expect(c.argv, `${c.file}:${c.line}`).toContain('-s');
  });
});
