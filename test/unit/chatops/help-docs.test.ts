// One help text for ChatOps: the bot's `/failover help` answer (renderHelp), what
// `failover simulate --command "/failover help"` shows, and the command block of docs/chatops.md.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderHelp, USAGE_LINES } from '../../../src/core/chatops/index.js';
import { parseConfig } from '../../../src/core/config/load.js';
import { runInProcess } from '../../helpers/cli-io.js';

const CONFIG_FILE = 'examples/infra-repo/.github/failover.yml';

describe('ChatOps help', () => {
  it('docs/chatops.md shows exactly the usage lines the bot answers with', () => {
    const docs = readFileSync('docs/chatops.md', 'utf8');
    const firstBlock = /^```\n([\s\S]*?)\n```$/m.exec(docs)?.[1];
    expect(firstBlock?.split('\n')).toEqual([...USAGE_LINES]);
  });

  it('`failover simulate --command "/failover help"` shows the bot\'s answer, word for word', async () => {
    const config = parseConfig(readFileSync(CONFIG_FILE, 'utf8'), CONFIG_FILE);
    const r = await runInProcess([
      'simulate',
      '--repo',
      'examples/infra-repo',
      '--command',
      '/failover help',
      '--user',
      'a',
      '--permission',
      'write',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { decisions: { comment: string | null }[] };
    expect(out.decisions[0]?.comment).toBe(renderHelp(config));
    expect(renderHelp(config)).toContain(USAGE_LINES.join('\n'));
  });
});
