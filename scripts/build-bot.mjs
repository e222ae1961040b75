// Bundles the Probot app's server (bot/server.ts) into one ESM file for the container image, so the
// runtime image needs neither tsx nor node_modules. Usage: node scripts/build-bot.mjs [outdir]
import { join } from 'node:path';
import { build } from 'esbuild';

const outdir = process.argv[2] ?? 'dist-bot';
await build({
  entryPoints: ['bot/server.ts'],
  outfile: join(outdir, 'server.mjs'),
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'esm',
  legalComments: 'none',
  logLevel: 'warning',
  // Loaded lazily and only when SENTRY_DSN / REDIS_URL are set; not part of this image.
  external: ['@sentry/node', 'ioredis'],
  // Some CommonJS dependencies call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
});
console.log(`bundled bot/server.ts → ${join(outdir, 'server.mjs')}`);
