// The recorded GitHub webhook payloads the tests deliver to the bot still match what GitHub sends today,
// as @octokit/webhooks-schemas describes it (dev dependency): a fixture GitHub has outgrown would let
// the bot's handlers be tested against payloads that no longer exist.
import { readdirSync, readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import formats from 'ajv-formats';
import { describe, expect, it } from 'vitest';

/** The package is one JSON document; read as data (it has no module entry point to import). */
const schema = JSON.parse(
  readFileSync('node_modules/@octokit/webhooks-schemas/schema.json', 'utf8'),
) as object;

const DIR = 'test/fixtures/github';
const ajv = new Ajv({ strict: false, allErrors: true });
formats.default(ajv);
ajv.addSchema({ ...schema, $id: 'webhooks' });

/** `pull_request.closed.merged.json` → the schema of `pull_request` with action `closed`. */
function definitionFor(file: string): string {
  const [event = '', action = ''] = file.split('.');
  return event === 'push' ? 'push$event' : `${event}$${action}`;
}

describe('webhook fixtures against @octokit/webhooks-schemas', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));

  it('covers every event the bot subscribes to', () => {
    const events = new Set(files.map((f) => f.split('.')[0]));
    for (const e of ['issue_comment', 'pull_request', 'check_run', 'workflow_run'])
      expect(events).toContain(e);
  });

  it.each(files)('%s validates', (file) => {
    const validate = ajv.compile({ $ref: `webhooks#/definitions/${definitionFor(file)}` });
    const payload: unknown = JSON.parse(readFileSync(`${DIR}/${file}`, 'utf8'));
    const ok = validate(payload);
    expect(ok ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`)).toEqual([]);
  });

  it('would catch a payload missing a field GitHub requires', () => {
    const payload = JSON.parse(readFileSync(`${DIR}/pull_request.closed.not-merged.json`, 'utf8'));
    delete payload.pull_request.auto_merge;
    expect(ajv.compile({ $ref: 'webhooks#/definitions/pull_request$closed' })(payload)).toBe(false);
  });
});
