// Exit codes of the `failover` CLI, and the error that carries one.
//   0  done (for simulate: whatever the decision)
//   1  validate found problems in the config
//   2  the command could not run: bad usage, unreadable file, invalid config/payload/plan
//   3  a bug in the CLI (an unexpected error; FAILOVER_DEBUG=1 shows the stack)
export const EXIT_OK = 0;
export const EXIT_INVALID = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERNAL = 3;

/** A message meant for the terminal as is, with the exit code to end on. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT_USAGE,
  ) {
    super(message);
  }
}
