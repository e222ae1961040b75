// What a publish ships and what it asks for at run time: only the bundled CLI and the schema, runtime
// dependencies that the shipped code really imports, the bin committed executable, and an engines range
// the code is proven to run on.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

interface PackageJson {
  version: string;
  files?: string[];
  private?: boolean;
  bin: Record<string, string>;
  engines: { node: string };
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as PackageJson;

/**
 * Every source file of the code that runs (Action, CLI, bot), recursively. The sandbox (`npm run demo`)
 * runs from a clone after `npm ci`, never from the package or the image, so its tools (ECharts) stay
 * devDependencies.
 */
function runtimeSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return path === join('src', 'sandbox') ? [] : runtimeSources(path);
    return /\.(ts|mjs)$/.test(e.name) ? [path] : [];
  });
}

/** Package names imported by runtime code (`x`, `@scope/x`; subpaths reduced to the package). */
function runtimeImports(): Set<string> {
  const names = new Set<string>();
  for (const file of [...runtimeSources('src'), ...runtimeSources('bot')]) {
    const text = readFileSync(file, 'utf8');
    const specs =
      /^(?:import|export)\b[^;]*?\bfrom\s*'([^'.][^']*)'|^import\s+'([^'.][^']*)'|\bimport\('([^'.][^']*)'\)/gm;
    for (const m of text.matchAll(specs)) {
      const spec = (m[1] ?? m[2] ?? m[3])!;
      if (spec.startsWith('node:')) continue;
      const parts = spec.split('/');
      names.add(spec.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!);
    }
  }
  return names;
}

describe('package.json', () => {
  it('ships only what runs: the bundled CLI, its notices, the config schema (and lib/cdktn once built)', () => {
    expect(pkg.private === true || Array.isArray(pkg.files)).toBe(true);
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      encoding: 'utf8',
      env: { ...process.env, npm_config_offline: 'true' },
    });
    const files = (JSON.parse(out) as { files: { path: string; mode: number }[] }[])[0]!.files;
    // lib/cdktn (gitops-failover/cdktn) is built by prepack; a checkout has it only after build:cdktn.
    const cdktn = files.map((f) => f.path).filter((p) => p.startsWith('lib/'));
    expect(cdktn.filter((p) => !/^lib\/cdktn\/(index\.js|types\/.+\.d\.ts)$/.test(p))).toEqual([]);
    expect(
      files
        .map((f) => f.path)
        .filter((p) => !p.startsWith('lib/'))
        .sort(),
    ).toEqual([
      'LICENSE',
      'README.md',
      'dist/cli/THIRD-PARTY-NOTICES.txt',
      'dist/cli/index.js',
      'matchers/failover-validate.json',
      'package.json',
      'schema/failover.schema.json',
    ]);
    expect(files.find((f) => f.path === 'dist/cli/index.js')?.mode).toBe(0o755);
  });

  it('declares as runtime dependencies exactly what src/ and bot/ import', () => {
    const imported = runtimeImports();
    // The cdktn constructs (src/iac/constructs) import the infra repo's own cdktn packages: optional
    // peer dependencies, installed here as devDependencies, never bundled or installed with the bot.
    const peers = pkg.peerDependencies ?? {};
    for (const name of Object.keys(peers)) {
      expect(pkg.peerDependenciesMeta?.[name]?.optional, `${name} is an optional peer`).toBe(true);
      expect(pkg.devDependencies, `${name} is installed for development`).toHaveProperty(name);
      expect(pkg.dependencies).not.toHaveProperty(name);
    }
    expect(Object.keys(peers).sort()).toEqual(['@cdktn/provider-aws', 'cdktn', 'constructs']);
    const missing = [...imported].filter((name) => !(name in pkg.dependencies) && !(name in peers));
    expect(missing, 'imported by runtime code but not a dependency').toEqual([]);
    const unused = Object.keys(pkg.dependencies).filter((name) => !imported.has(name));
    expect(unused, 'dependencies no runtime code imports (tests only? move to devDependencies)').toEqual([]);
    expect(pkg.dependencies).not.toHaveProperty('octokit');
  });

  it('commits the bin executable, so running it (npx failover) changes no file mode', () => {
    const bin = pkg.bin.failover!;
    const staged = execFileSync('git', ['ls-files', '-s', bin], { encoding: 'utf8' });
    expect(staged).toMatch(/^100755 /);
    expect(statSync(bin).mode & 0o111).not.toBe(0);
    expect(readFileSync(bin, 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
  });

  it('the bundled CLI finds its problem matcher (shipped in matchers/) on GitHub Actions', () => {
    const dir = mkdtempSync(join(tmpdir(), 'failover-matcher-'));
    try {
      writeFileSync(join(dir, 'bad.yml'), 'version: 2\n');
      const r = spawnSync(
        process.execPath,
        [pkg.bin.failover!, 'validate', '--config', join(dir, 'bad.yml')],
        {
          encoding: 'utf8',
          env: { PATH: process.env.PATH ?? '', GITHUB_ACTIONS: 'true' },
        },
      );
      expect(r.status).toBe(1);
      const added = /^::add-matcher::(.+)$/m.exec(r.stdout)?.[1];
      expect(added).toBe(join(process.cwd(), 'matchers', 'failover-validate.json'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the bundled CLI runs on the oldest Node the engines range admits', (ctx) => {
    expect(pkg.engines.node).toBe('^20.18.1 || >=22');
    const oldNode = '/usr/bin/node';
    if (!existsSync(oldNode)) return ctx.skip(`${oldNode} (Node 20) not installed`);
    const version = execFileSync(oldNode, ['--version'], { encoding: 'utf8' }).trim();
    if (!/^v20\.(1[89]|[2-9]\d)\./.test(version))
      return ctx.skip(`${oldNode} is ${version}, not Node 20.18+`);
    const run = (...args: string[]) =>
      execFileSync(oldNode, [pkg.bin.failover!, ...args], { encoding: 'utf8' });
    expect(run('--version')).toBe(`${pkg.version}\n`);
    expect(run('validate', '--config', 'examples/infra-repo/.github/failover.yml')).toMatch(
      /^valid: 4 services/,
    );
    expect(
      run(
        'simulate',
        '--repo',
        'examples/infra-repo',
        '--alert',
        'examples/alerts/alertmanager-region-down.json',
        '--now',
        '2026-11-26T03:10:00Z',
        '--json',
      ),
    ).toContain('"action": "merge"');
  });
});
