// `npm run demo [-- --scenario <name>]`: boots the sandbox, runs the story, prints the timeline and the
// RTO, writes sandbox-report/index.html and stops everything it started (also on Ctrl-C).
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { rtoLine, writeReport } from './report.js';
import { startSandbox } from './sandbox.js';
import { mainStory } from './story.js';

const root = resolve(import.meta.dirname, '../..');
const say = (line: string) => console.log(line);
const { values } = parseArgs({ options: { scenario: { type: 'string', default: 'main' } } });

const sandbox = await startSandbox(root, say);
const interrupted = () => {
  void sandbox.stop().finally(() => process.exit(130));
};
process.once('SIGINT', interrupted);
say(
  `web view     ${sandbox.github.url}/${sandbox.repo.owner}/${sandbox.repo.name}/pulls (open it to watch the PR)`,
);
try {
  const result = await mainStory(sandbox, say);
  const line = rtoLine(result);
  const apply = sandbox.runner.runs.find((r) => r.sha === result.pr?.mergeCommitSha);
  const file = writeReport(resolve(root, 'sandbox-report'), {
    scenario: values.scenario ?? 'main',
    startedAt: sandbox.startedAt,
    regions: Object.keys(sandbox.regions),
    samples: sandbox.load.samples,
    result,
    ...(apply ? { jobSummary: apply.summary } : {}),
    standIns: [],
  });
  say(`report       ${file}`);
  if (line) say(line);
} finally {
  process.off('SIGINT', interrupted);
  await sandbox.stop();
}
