// The licence notices of every npm package inside a bundle, from esbuild's metafile: a bundle carries
// their code, so it must carry their copyright and licence texts too (MIT, ISC, BSD and Apache-2.0 all
// ask for it). Written as THIRD-PARTY-NOTICES.txt beside each bundle by scripts/build.mjs and
// scripts/build-bot.mjs; the order and content depend only on the bundled packages, so the file is
// reproducible and `build --check` can compare it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const LICENCE_FILE = /^(licen[cs]e|copying|notice)([.-].*)?$/i;

/** Package directories (`node_modules/...`) whose files are inputs of the bundle. */
function bundledPackageDirs(metafile) {
  const dirs = new Set();
  for (const input of Object.keys(metafile.inputs)) {
    const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (m) dirs.add(m[1]);
  }
  return [...dirs];
}

/** The package's name, version, licence and its licence/notice files' text. */
function describePackage(dir) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const files = readdirSync(dir)
    .filter((f) => LICENCE_FILE.test(f))
    .sort();
  const texts = files.map((f) => readFileSync(join(dir, f), 'utf8').trim());
  const licence = typeof pkg.license === 'string' ? pkg.license : (pkg.license?.type ?? 'UNKNOWN');
  return { name: pkg.name, version: pkg.version, licence, texts };
}

/** The notices text for a bundle built with `metafile: true`. */
export function thirdPartyNotices(metafile, bundleName) {
  const packages = bundledPackageDirs(metafile)
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map(describePackage);
  // One entry per name@version (a package can be reached through several paths).
  const unique = new Map(packages.map((p) => [`${p.name}@${p.version}`, p]));
  const sorted = [...unique.values()].sort(
    (a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version),
  );
  const header = [
    `Third-party software bundled in ${bundleName}`,
    '',
    `${sorted.length} npm packages; their licences and notices follow.`,
    '',
  ];
  const entries = sorted.map((p) =>
    [
      '='.repeat(78),
      `${p.name} ${p.version} (${p.licence})`,
      '='.repeat(78),
      p.texts.length > 0
        ? p.texts.join('\n\n')
        : `No licence file in the package; its package.json says ${p.licence}.`,
      '',
    ].join('\n'),
  );
  return `${[...header, ...entries].join('\n')}\n`;
}

export const NOTICES_FILE = 'THIRD-PARTY-NOTICES.txt';

/** Where the notices of `outfile` go: beside it. */
export function noticesPathFor(outfile) {
  return join(dirname(outfile), NOTICES_FILE);
}
