// `failover` entry point (bundled to dist/cli/index.js): wires the real process to the CLI.
import { nodeIo } from './io.js';
import { runCli } from './run.js';

process.exitCode = await runCli(process.argv.slice(2), nodeIo());
