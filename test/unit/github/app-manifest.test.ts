// app.yml, the in-memory GitHub and docs/bot.md agree on the app's permissions: the double holds the
// bot to exactly what the manifest asks for, and the docs table names every one of them.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { APP_PERMISSIONS } from '../../../src/memory-github/index.js';

const manifest = parse(readFileSync('app.yml', 'utf8')) as {
  default_permissions: Record<string, string>;
  default_events: string[];
};
const docs = readFileSync('docs/bot.md', 'utf8');
const permissionsSection = docs.slice(docs.indexOf('### Permissions'), docs.indexOf('### What to turn on'));

/** How GitHub's settings page names a manifest permission key. */
const TITLES: Record<string, string> = {
  contents: 'Contents',
  pull_requests: 'Pull requests',
  issues: 'Issues',
  checks: 'Checks',
  metadata: 'Metadata',
  actions: 'Actions',
  members: 'Members',
};

describe('the app’s permissions', () => {
  it('the in-memory GitHub grants exactly what app.yml asks for', () => {
    expect(APP_PERMISSIONS).toEqual(manifest.default_permissions);
  });

  it('docs/bot.md names every permission at the level app.yml asks for, and chatops.teams needs Members: read', () => {
    for (const [key, level] of Object.entries(manifest.default_permissions)) {
      const title = TITLES[key];
      expect(title, `no title for ${key}`).toBeDefined();
      expect(permissionsSection).toContain(`${title}: ${level}`);
    }
    expect(permissionsSection).toMatch(/`chatops\.teams` \| .* \| \*\*Members: read\*\*/);
  });

  it('subscribes to the events the bot handles', () => {
    expect([...manifest.default_events].sort()).toEqual([
      'check_run',
      'issue_comment',
      'pull_request',
      'workflow_run',
    ]);
  });
});
