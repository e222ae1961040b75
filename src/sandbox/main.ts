// `npm run demo [-- --scenario <name>]`: boots the sandbox, runs the story, prints the timeline and the
// RTO, writes sandbox-report/index.html and stops everything it started (also on Ctrl-C).
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { rtoLine, writeReport } from './report.js';
import { aptLine, missingPrograms, TERRAFORM_HELP } from './requirements.js';
import { startSandbox } from './sandbox.js';
import { runScenario, SCENARIOS, type ScenarioName } from './scenarios.js';

const root = resolve(import.meta.dirname, '../..');
const say = (line: string) => console.log(line);
const { values } = parseArgs({ options: { scenario: { type: 'string', default: 'main' } } });
const scenario = values.scenario as ScenarioName;
if (!SCENARIOS.includes(scenario)) {
  console.error(`unknown scenario "${values.scenario}"; choose one of: ${SCENARIOS.join(', ')}`);
  process.exit(2);
}

const missing = missingPrograms();
if (missing.some((p) => p.part === 'terraform')) {
  console.error(TERRAFORM_HELP);
  process.exit(1);
}
if (missing.length > 0) {
  say(`missing: ${missing.map((p) => `${p.bin} (Debian package ${p.debian})`).join(', ')}`);
  say(`install them for the real parts: ${aptLine(missing)}`);
  say('running now with built-in stand-ins for what is missing (named below and in the report)');
}
const sandbox = await startSandbox(root, say, {
  forceStandIns: process.env.FAILOVER_SANDBOX_STAND_INS === '1',
});
for (const part of sandbox.standIns) say(`stand-in     ${part}`);
const interrupted = () => {
  void sandbox.stop().finally(() => process.exit(130));
};
process.once('SIGINT', interrupted);
say(
  `web view     ${sandbox.github.url}/${sandbox.repo.owner}/${sandbox.repo.name}/pulls (open it to watch the PRs)`,
);
say(`scenario     ${scenario}`);
try {
  const result = await runScenario(scenario, sandbox, say);
  // A little steady traffic after the last step, so the chart shows where it settled.
  await new Promise((r) => setTimeout(r, 2_000));
  for (const line of result.outcome) say(line);
  const apply = sandbox.runner.runs.find((r) => r.sha === result.pr?.mergeCommitSha);
  const file = writeReport(resolve(root, 'sandbox-report'), {
    scenario,
    startedAt: sandbox.startedAt,
    regions: Object.keys(sandbox.regions),
    samples: sandbox.load.samples,
    result,
    ...(apply ? { jobSummary: apply.summary } : {}),
    standIns: sandbox.standIns,
    notes: result.outcome.length > 0 ? [`## Outcome\n\n${result.outcome.join('\n\n')}`] : [],
  });
  say(`report       ${file}`);
  const line = rtoLine(result);
  if (line) say(line);
} finally {
  process.off('SIGINT', interrupted);
  await sandbox.stop();
}
