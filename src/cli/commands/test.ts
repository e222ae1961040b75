// `failover test FILE|DIR... [--json]`: runs scripted incident timelines through the bot's own services
// and the in-memory GitHub (src/scenario), in the spirit of `promtool test rules`.
import { ConfigError } from '../../core/errors.js';
import { nodeScenarioFiles, scenarioFilesIn } from '../../scenario/files.js';
import { renderJsonReport, renderTextReport } from '../../scenario/report.js';
import { loadScenario } from '../../scenario/resolve.js';
import { runScenario, type ScenarioResult } from '../../scenario/run.js';
import { parseCommandArgs } from '../args.js';
import { CliError, EXIT_INVALID, EXIT_OK, EXIT_USAGE } from '../errors.js';
import type { CliIo } from '../io.js';

export const TEST_HELP = `Usage: failover test FILE|DIR... [--json]

Plays scripted incident timelines (docs/testing.md, version: 1) through the bot's own services, the
GitHub port and the in-memory GitHub, on a clock that moves to each step's time, and checks every
expectation. A folder means every .yaml/.yml under it (repo folders and dot-folders skipped).

Options:
  --json      every step's outcome as JSON on stdout
  -h, --help  show this help

Exit status: 0 every expectation holds, 1 one fails, 2 a file does not parse (FILE:LINE:COL path: message).
`;

export async function runTest(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('test', args, { json: { type: 'boolean' } }, true);
  if (values.help) {
    io.stdout(TEST_HELP);
    return EXIT_OK;
  }
  if (positionals.length === 0)
    throw new CliError(`failover test: name at least one scenario FILE or DIR\n\n${TEST_HELP}`);
  const files = positionals.flatMap((p) => {
    if (!io.exists(p)) throw new CliError(`failover test: ${p} does not exist`);
    return scenarioFilesIn(p);
  });
  if (files.length === 0)
    throw new CliError(`failover test: no .yaml or .yml scenario under ${positionals.join(', ')}`);
  const parseErrors: string[] = [];
  const results: ScenarioResult[] = [];
  for (const file of files) {
    let scenario: ReturnType<typeof loadScenario>;
    try {
      scenario = loadScenario(file, nodeScenarioFiles);
    } catch (err: unknown) {
      if (!(err instanceof ConfigError)) throw err;
      parseErrors.push(err.message);
      continue;
    }
    results.push(await runScenario(scenario));
  }
  if (parseErrors.length > 0) io.stderr(`${parseErrors.join('\n')}\n`);
  io.stdout(values.json ? renderJsonReport(results, parseErrors) : renderTextReport(results));
  if (parseErrors.length > 0) return EXIT_USAGE;
  return results.some((r) => r.failed > 0) ? EXIT_INVALID : EXIT_OK;
}
