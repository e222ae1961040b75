// The `failover` command line: dispatch to one command, map errors to exit codes and one-line
// messages. Stack traces only with FAILOVER_DEBUG=1.
import { closest } from '../core/chatops/suggest.js';
import { ConfigError, describeThrown, PayloadError, StateFileError, UserError } from '../core/errors.js';
import { VERSION } from '../version.js';
import { CliError, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE } from './errors.js';
import type { CliIo } from './io.js';

export const MAIN_HELP = `Usage: failover <command> [options]

Turns alerts and /failover commands into failover pull requests; this CLI runs the same policy locally,
with no GitHub and no credentials.

Commands:
  validate      check .github/failover.yml (FILE:LINE:COL path: message per problem)
  simulate      what the bot would do for an alert payload or a /failover command
  status        the active target of every service, from the state files
  plan-summary  summarise a saved 'terraform show -json' plan
  test          play scripted incident timelines (scenario files) and check their expectations

Run 'failover <command> --help' for the options of a command; 'failover --version' prints the version.

Exit status: 0 done, 1 validate found problems (test: an expectation failed), 2 bad usage or input,
3 internal error.
`;

type Command = (args: string[], io: CliIo) => number | Promise<number>;

// Loaded on demand so that `failover validate` does not pay for the policy engine at start-up.
const COMMANDS: Record<string, () => Promise<Command>> = {
  validate: async () => (await import('./commands/validate.js')).runValidate,
  simulate: async () => (await import('./commands/simulate.js')).runSimulate,
  status: async () => (await import('./commands/status.js')).runStatus,
  'plan-summary': async () => (await import('./commands/plan-summary.js')).runPlanSummary,
  test: async () => (await import('./commands/test.js')).runTest,
};

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === '--help' || name === '-h') {
      io.stdout(MAIN_HELP);
      return name === undefined ? EXIT_USAGE : EXIT_OK;
    }
    if (name === '--version' || name === '-V' || name === 'version') {
      io.stdout(`${VERSION}\n`);
      return EXIT_OK;
    }
    if (name === 'help') {
      const topic = rest[0];
      if (topic === undefined) {
        io.stdout(MAIN_HELP);
        return EXIT_OK;
      }
      return await runCli([topic, '--help'], io);
    }
    const load = COMMANDS[name];
    if (!load) {
      const known = Object.keys(COMMANDS);
      const near =
        closest(name.replace(/^-+/, ''), known)[0] ?? known.find((k) => k.startsWith(name.slice(0, 3)));
      throw new CliError(
        `unknown command "${name}"${near ? ` (did you mean "${near}"?)` : ''}\nCommands: ${known.join(', ')}`,
      );
    }
    const command = await load();
    return await command(rest, io);
  } catch (err: unknown) {
    return reportError(err, io);
  }
}

/**
 * Every error the CLI prints has one shape: `failover[ <command>]: <message>` on stderr, then any hint
 * lines. Messages from the core carry no prefix; it is added here, once.
 */
export function errorLine(message: string): string {
  return `${message.startsWith('failover') ? message : `failover: ${message}`}\n`;
}

function reportError(err: unknown, io: CliIo): number {
  if (io.env.FAILOVER_DEBUG === '1' && err instanceof Error && err.stack) {
    io.stderr(`${err.stack}\n`);
    return err instanceof CliError ? err.exitCode : exitCodeOf(err);
  }
  const [message, code] = describeCliError(err);
  io.stderr(errorLine(message));
  return code;
}

function describeCliError(err: unknown): [string, number] {
  if (err instanceof CliError) return [err.message, err.exitCode];
  if (err instanceof ConfigError) return [`invalid config:\n${err.message}`, EXIT_USAGE];
  if (err instanceof PayloadError)
    return [`invalid payload${err.source ? ` (${err.source})` : ''}: ${err.message}`, EXIT_USAGE];
  if (err instanceof StateFileError || err instanceof UserError) return [err.message, EXIT_USAGE];
  // Not one of ours: still one line, and a hint for getting the details.
  return [`internal error: ${describeThrown(err)} (set FAILOVER_DEBUG=1 for the stack trace)`, EXIT_INTERNAL];
}

function exitCodeOf(err: unknown): number {
  const ours = [ConfigError, PayloadError, StateFileError, UserError].some((type) => err instanceof type);
  return ours ? EXIT_USAGE : EXIT_INTERNAL;
}
