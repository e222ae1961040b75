// `failover validate [--config FILE]`: exit 0 "valid: N services", or exit 1 with one line per problem.
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
`;

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
    // Problems are the output of this command (stdout), like other linters, so they pipe into editors.
    io.stdout(`${err.message}\n`);
    return EXIT_INVALID;
  }
}
