// Builds the package subpath `gitops-failover/cdktn` (src/iac/constructs) into lib/cdktn: one ESM file
// whose bare imports (cdktn, constructs, @cdktn/provider-aws/lib/<resource>, yaml, zod, re2js) stay
// external, so the infra repo's own cdktn packages are used, plus TypeScript declarations.
// lib/ is not committed: `npm pack` builds it (prepack). Usage: node scripts/build-cdktn.mjs [outdir]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { nodeBundle } from './esbuild-options.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Writes `<outDir>/index.js` and `<outDir>/types/**.d.ts`; returns the outDir. */
export async function buildCdktn(outDir) {
  await build(
    nodeBundle(join(root, 'src/iac/constructs/index.ts'), join(outDir, 'index.js'), {
      packages: 'external',
      // Bare imports stay imports; no createRequire banner is needed.
      banner: {},
    }),
  );
  const scratch = mkdtempSync(join(tmpdir(), 'failover-cdktn-types-'));
  const tsconfig = join(scratch, 'tsconfig.json');
  writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: join(root, 'tsconfig.json'),
      compilerOptions: {
        noEmit: false,
        declaration: true,
        emitDeclarationOnly: true,
        rootDir: join(root, 'src'),
        outDir: join(outDir, 'types'),
        typeRoots: [join(root, 'node_modules/@types')],
      },
      include: [join(root, 'src/iac/constructs/index.ts')],
    }),
  );
  try {
    execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', tsconfig], { stdio: 'inherit' });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return outDir;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outDir = resolve(process.argv[2] ?? join(root, 'lib/cdktn'));
  await buildCdktn(outDir);
  console.log(`built gitops-failover/cdktn → ${outDir}`);
}
