// node:util parseArgs with its errors turned into CliErrors that point at the command's --help.
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { closest } from '../core/chatops/suggest.js';
import { CliError } from './errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseCommandArgs<T extends Options>(
  command: string,
  args: string[],
  options: T,
  allowPositionals = false,
) {
  try {
    return parseArgs({
      args,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals,
      strict: true,
    });
  } catch (err: unknown) {
    const message = err instanceof Error ? err.message : String(err);
    const hint = suggestOption(err, Object.keys(options));
    throw new CliError(`failover ${command}: ${message}${hint}\nRun 'failover ${command} --help' for usage.`);
  }
}

/** ` Did you mean --config?` for a mistyped long option (node:util names it in the message). */
function suggestOption(err: unknown, known: string[]): string {
  if ((err as { code?: string } | null)?.code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return '';
  const typed = /'--?([^'=]+)/.exec(err instanceof Error ? err.message : '')?.[1];
  const near = typed === undefined ? undefined : closest(typed, [...known, 'help'])[0];
  return near === undefined ? '' : ` Did you mean --${near}?`;
}

/** Reads a file for a command, turning fs errors into one clear line. */
export function readInput(read: (path: string) => string, path: string, what: string): string {
  try {
    return read(path);
  } catch (err: unknown) {
    const code = (err as { code?: string } | null)?.code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : err instanceof Error
              ? err.message
              : String(err);
    throw new CliError(`cannot read ${what} ${path}: ${why}`);
  }
}

/** Parses JSON from a file, with the file name in the error. */
export function parseJsonFile(text: string, path: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err: unknown) {
    const why = err instanceof Error ? err.message : String(err);
    throw new CliError(`${what} ${path} is not valid JSON: ${why}`);
  }
}
