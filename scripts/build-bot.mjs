// Bundles the Probot app's server (bot/server.ts) into one ESM file for the container image, so the
// runtime image needs neither tsx nor node_modules. Usage: node scripts/build-bot.mjs [outdir]
import { join } from 'node:path';
import { build } from 'esbuild';
import { nodeBundle } from './esbuild-options.mjs';

const outdir = process.argv[2] ?? 'dist-bot';
await build(
  nodeBundle('bot/server.ts', join(outdir, 'server.mjs'), {
    // Loaded lazily and only when SENTRY_DSN / REDIS_URL are set; not part of this image.
    external: ['@sentry/node', 'ioredis'],
  }),
);
console.log(`bundled bot/server.ts → ${join(outdir, 'server.mjs')}`);
