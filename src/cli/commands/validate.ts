// `failover validate [--config FILE]`: exit 0 "valid: N services", or exit 1 with one line per problem.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CONFIG_FILE, parseConfig } from '../../core/config/load.js';
import { ConfigError } from '../../core/errors.js';
import { parseCommandArgs, readInput } from '../args.js';
import { EXIT_INVALID, EXIT_OK } from '../errors.js';
import type { CliIo } from '../io.js';

export const VALIDATE_HELP = `Usage: failover validate [--config FILE]

Checks a gitops-failover config against the schema, the alert matcher syntax and the cross-service rules.

Options:
  -c, --config FILE  the config to check (default: ${DEFAULT_CONFIG_FILE})
  -h, --help         show this help

Exit status: 0 valid, 1 invalid (one line per problem: FILE:LINE:COL path: message), 2 unreadable.
In a GitHub Actions job the problems also become annotations on the file (problem matcher
matchers/failover-validate.json, registered for the duration of the command).
`;

export const MATCHER_OWNER = 'failover-validate';

/** The problem matcher file: beside the bundle (dist/cli → matchers) or the source (src/cli/commands). */
export function matcherPath(): string | undefined {
  return ['../../matchers/failover-validate.json', '../../../matchers/failover-validate.json']
    .map((rel) => fileURLToPath(new URL(rel, import.meta.url)))
    .find((path) => existsSync(path));
}

export function runValidate(args: string[], io: CliIo): number {
  const { values } = parseCommandArgs('validate', args, { config: { type: 'string', short: 'c' } });
  if (values.help) {
    io.stdout(VALIDATE_HELP);
    return EXIT_OK;
  }
  const file = typeof values.config === 'string' ? values.config : DEFAULT_CONFIG_FILE;
  const text = readInput(io.readFile, file, 'config');
  try {
    const config = parseConfig(text, file);
    const count = Object.keys(config.services).length;
    const groups = Object.keys(config.groups).length;
    io.stdout(
      `valid: ${count} service${count === 1 ? '' : 's'}${groups > 0 ? `, ${groups} group${groups === 1 ? '' : 's'}` : ''} (${file})\n`,
    );
    return EXIT_OK;
  } catch (err: unknown) {
    if (!(err instanceof ConfigError)) throw err;
    // Problems are the output of this command (stdout), like other linters, so they pipe into editors;
    // on GitHub Actions the runner's problem matcher turns each line into an annotation.
    const matcher = io.env.GITHUB_ACTIONS === 'true' ? matcherPath() : undefined;
    if (matcher) io.stdout(`::add-matcher::${matcher}\n`);
    io.stdout(`${err.message}\n`);
    if (matcher) io.stdout(`::remove-matcher owner=${MATCHER_OWNER}::\n`);
    return EXIT_INVALID;
  }
}
