// The product's version, from package.json: one source for `failover --version`, the bot's /healthz and
// the `failover_build_info` metric. The bundles carry package.json inlined (esbuild), so a bundle always
// reports the version it was built from.
import packageJson from '../package.json' with { type: 'json' };

export const VERSION: string = packageJson.version;
