// Writes schema/failover.schema.json from the zod schema, so editors (yaml-language-server) and the
// loader validate against one definition. `--check` exits 1 when the committed file is stale (CI).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { configSchema } from '../src/core/config/schema.js';

export const SCHEMA_ID =
  'https://raw.githubusercontent.com/gitops-failover/gitops-failover/main/schema/failover.schema.json';

/** The JSON Schema text exactly as it is committed (stable key order, trailing newline). */
export function renderJsonSchema(): string {
  // io 'input': defaults make keys optional, which is what a person writing the YAML sees.
  const generated = z.toJSONSchema(configSchema, { io: 'input', target: 'draft-2020-12' });
  const { $schema, ...rest } = generated;
  const document = {
    $schema,
    $id: SCHEMA_ID,
    title: 'gitops-failover repo config (.github/failover.yml, version 1)',
    description:
      'Services that can fail over, the desired-state file and key that select their active target, which alerts ' +
      'may trigger a failover and under which safety rules, and the checks that verify the result.',
    ...rest,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outFile = join(root, 'schema', 'failover.schema.json');

function main(): void {
  const text = renderJsonSchema();
  if (process.argv.includes('--check')) {
    const current = existsSync(outFile) ? readFileSync(outFile, 'utf8') : '';
    if (current !== text) {
      console.error('schema/failover.schema.json is stale: run `npm run schema` and commit the result.');
      process.exit(1);
    }
    console.log('schema/failover.schema.json is current');
    return;
  }
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, text);
  console.log(`wrote ${outFile}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
