// Bundles the Probot app's server (bot/server.ts) into one ESM file for the container image, so the
// runtime image needs neither tsx nor node_modules; the licences of the packages inside it go beside it
// (THIRD-PARTY-NOTICES.txt). Usage: node scripts/build-bot.mjs [outdir]
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { nodeBundle } from './esbuild-options.mjs';
import { noticesPathFor, thirdPartyNotices } from './third-party-notices.mjs';

const outdir = process.argv[2] ?? 'dist-bot';
const outfile = join(outdir, 'server.mjs');
const result = await build({
  ...nodeBundle('bot/server.ts', outfile, {
    // Loaded lazily and only when SENTRY_DSN / REDIS_URL are set; not part of this image.
    external: ['@sentry/node', 'ioredis'],
  }),
  metafile: true,
});
writeFileSync(noticesPathFor(outfile), thirdPartyNotices(result.metafile, 'server.mjs'));
console.log(`bundled bot/server.ts → ${outfile} (+ ${noticesPathFor(outfile)})`);
