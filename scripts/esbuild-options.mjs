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
    logLevel: 'warning',
    // Some CommonJS dependencies call require(); give the ESM bundle one.
    banner: {
      js: `${shebang ? '#!/usr/bin/env node\n' : ''}import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);`,
    },
    ...extra,
  };
}
