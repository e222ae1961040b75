// `npm run demo`: boots the sandbox, runs the main story (or `--scenario <name>`), prints the timeline
// and the RTO, writes sandbox-report/index.html and stops everything it started.
import { resolve } from 'node:path';
import { startSandbox } from './sandbox.js';
import { mainStory } from './story.js';

const root = resolve(import.meta.dirname, '../..');
const say = (line: string) => console.log(line);
const sandbox = await startSandbox(root, say);
try {
  const result = await mainStory(sandbox, say);
  const r = result.rto;
  if (r)
    say(
      `RTO ${r.total.toFixed(1)}s (detection ${r.detection.toFixed(1)}s, decision ${r.decision.toFixed(1)}s, apply ${r.apply.toFixed(1)}s, verification ${r.verification.toFixed(1)}s)`,
    );
} finally {
  await sandbox.stop();
}
