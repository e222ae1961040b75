// The esbuild settings every bundle of this project shares: one ESM file for Node 24.

/** Options for bundling `entry` into `outfile`; `shebang` makes the file runnable as a command. */
export function nodeBundle(entry, outfile, { shebang = false, ...extra } = {}) {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    legalComments: 'none',
    // A node_modules that is a symlink (git worktrees share one) must bundle byte-identically to a real
    // one: module paths in the bundle stay under node_modules/ instead of following the link.
    preserveSymlinks: true,
    logLevel: 'warning',
    // Some CommonJS dependencies call require(); give the ESM bundle one.
    banner: {
      js: `${shebang ? '#!/usr/bin/env node\n' : ''}import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);`,
    },
    ...extra,
  };
}
