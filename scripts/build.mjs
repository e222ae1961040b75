// Bundles the Action and the CLI into dist/ with esbuild. dist/ is committed (an Action runs it as is);
// `node scripts/build.mjs --check` fails when the committed bundle is not what the sources build to.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { nodeBundle } from './esbuild-options.mjs';

const check = process.argv.includes('--check');
const entries = [
  // The Action never uses undici (see scripts/undici-stub.mjs); the CLI keeps its dependencies as they are.
  { in: 'src/action/main.ts', out: 'action/index.js', alias: { undici: './scripts/undici-stub.mjs' } },
  { in: 'src/cli/main.ts', out: 'cli/index.js', shebang: true },
].filter((e) => existsSync(e.in));

const outRoot = check ? mkdtempSync(join(tmpdir(), 'failover-dist-')) : 'dist';
for (const entry of entries) {
  await build(
    nodeBundle(entry.in, join(outRoot, entry.out), { shebang: entry.shebang, alias: entry.alias ?? {} }),
  );
}

if (check) {
  const stale = entries.filter((e) => {
    const committed = join('dist', e.out);
    return (
      !existsSync(committed) || readFileSync(committed, 'utf8') !== readFileSync(join(outRoot, e.out), 'utf8')
    );
  });
  rmSync(outRoot, { recursive: true, force: true });
  if (stale.length > 0) {
    console.error(
      `dist/ is not current for: ${stale.map((e) => e.out).join(', ')}. Run npm run build and commit dist/.`,
    );
    process.exit(1);
  }
  console.log('dist/ is current');
}
