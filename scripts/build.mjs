// Bundles the Action and the CLI into dist/ with esbuild. dist/ is committed (an Action runs it as is);
// beside each bundle goes THIRD-PARTY-NOTICES.txt, the licences of the npm packages inside it. The CLI
// bundle is written executable (mode 755, as committed), so `npx failover` finds nothing to change.
// `node scripts/build.mjs --check` fails when a committed file is not what the sources build to.
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { nodeBundle } from './esbuild-options.mjs';
import { NOTICES_FILE, noticesPathFor, thirdPartyNotices } from './third-party-notices.mjs';

const check = process.argv.includes('--check');
const entries = [
  // The Action evaluates undici only when a request goes through a proxy (see scripts/undici-lazy.mjs).
  { in: 'src/action/index.ts', out: 'action/index.js', alias: { undici: './scripts/undici-lazy.mjs' } },
  { in: 'src/cli/main.ts', out: 'cli/index.js', shebang: true },
].filter((e) => existsSync(e.in));

/** Every file the build writes, relative to dist/, with the mode it must have. */
const outputs = entries.flatMap((e) => [
  { path: e.out, mode: e.shebang ? 0o755 : 0o644 },
  { path: noticesPathFor(e.out), mode: 0o644 },
]);

const outRoot = check ? mkdtempSync(join(tmpdir(), 'failover-dist-')) : 'dist';
for (const entry of entries) {
  const outfile = join(outRoot, entry.out);
  const result = await build({
    ...nodeBundle(entry.in, outfile, { shebang: entry.shebang, alias: entry.alias ?? {} }),
    metafile: true,
  });
  writeFileSync(noticesPathFor(outfile), thirdPartyNotices(result.metafile, `dist/${entry.out}`));
}
for (const file of outputs) chmodSync(join(outRoot, file.path), file.mode);

if (check) {
  const stale = outputs.filter((file) => {
    const committed = join('dist', file.path);
    if (!existsSync(committed)) return true;
    const sameText = readFileSync(committed, 'utf8') === readFileSync(join(outRoot, file.path), 'utf8');
    return !sameText || (statSync(committed).mode & 0o777) !== file.mode;
  });
  rmSync(outRoot, { recursive: true, force: true });
  if (stale.length > 0) {
    console.error(
      `dist/ is not current for: ${stale.map((f) => f.path).join(', ')}. Run npm run build and commit dist/ ` +
        `(with its file modes: the CLI is 755).`,
    );
    process.exit(1);
  }
  console.log(`dist/ is current (bundles, modes and ${NOTICES_FILE})`);
}
