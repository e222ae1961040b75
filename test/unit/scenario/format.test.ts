// Scenario files: every problem located at FILE:LINE:COL path: message, like the config's own.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import { parseScenarioText } from '../../../src/scenario/format.js';
import { loadScenario, type ScenarioFiles } from '../../../src/scenario/resolve.js';
import { CONFIG_TEXT, STATE_PATH, STATE_TEXT } from '../../helpers/github-double/fixtures.js';

const HEAD = 'version: 1\nname: n\nrepo: ./infra\nstart: 2026-11-26T03:00:00Z\n';

function issuesOf(run: () => unknown): string[] {
  try {
    run();
  } catch (err: unknown) {
    if (err instanceof ConfigError) return err.message.split('\n');
    throw err;
  }
  throw new Error('expected a ConfigError');
}

const parse = (text: string) => issuesOf(() => parseScenarioText(text, 'sc.yaml'));

describe('parseScenarioText', () => {
  it('accepts the format of docs/testing.md', () => {
    const { doc } = parseScenarioText(
      `${HEAD}health:\n  checkout: { us-east-1: up, us-west-2: down }\nsteps:\n  - at: 0s\n    alert: a.json\n  - at: 1m\n    alert: { source: grafana, body: { x: 1 } }\n    expect:\n      checkout: { action: none, reason: "us-west-2" }\n  - at: 3m\n    command: "/failover checkout us-west-2"\n    user: alice\n    permission: write\n    expect: { reply: alerting }\n  - at: 4m\n    merge: checkout\n  - at: 5m\n    verify: { checkout: fail }\n  - at: 6m\n    expect: { state: { checkout: us-east-1 }, open_prs: 0 }\n`,
      'sc.yaml',
    );
    expect(doc.steps).toHaveLength(6);
    expect(doc.steps[1]?.alert).toEqual({ source: 'grafana', body: { x: 1 } });
    expect(doc.steps[5]?.expect).toEqual({ state: { checkout: 'us-east-1' }, open_prs: 0 });
  });

  it('locates a step whose time goes back', () => {
    expect(
      parse(`${HEAD}steps:\n  - at: 2m\n    merge: checkout\n  - at: 1m\n    merge: checkout\n`),
    ).toEqual(["sc.yaml:8:9 steps[1].at: goes back in time: 1m is before the previous step's 2m"]);
  });

  it('locates an unknown key with a did-you-mean', () => {
    expect(parse(`${HEAD}steps:\n  - at: 0s\n    merg: checkout\n`)).toEqual([
      'sc.yaml:6:5 steps[0]: a step needs an event (alert, health, command, merge, verify, alert_source, freeze) or an expect',
      'sc.yaml:7:5 steps[0].merg: unknown key "merg" (did you mean "merge"?)',
    ]);
  });

  it('refuses two events in one step, and a step with neither event nor expect', () => {
    expect(
      parse(`${HEAD}steps:\n  - at: 0s\n    merge: checkout\n    verify: { checkout: pass }\n  - at: 1m\n`),
    ).toEqual([
      'sc.yaml:6:5 steps[0]: one event per step (found merge and verify); give each its own step',
      'sc.yaml:9:5 steps[1]: a step needs an event (alert, health, command, merge, verify, alert_source, freeze) or an expect',
    ]);
  });

  it('checks values: duration, health word, permission, version, action', () => {
    expect(
      parse(
        'version: 2\nname: n\nrepo: r\nstart: 2026-11-26T03:00:00Z\nhealth: { checkout: { us-east-1: sick } }\nsteps:\n  - at: 1 minute\n    command: /failover status\n    permission: root\n    expect: { checkout: { action: merged } }\n',
      ),
    ).toEqual([
      'sc.yaml:1:10 version: 2 must be 1',
      'sc.yaml:5:34 health.checkout.us-east-1: "sick" must be one of "up", "down", "inconclusive"',
      'sc.yaml:7:9 steps[0].at: "1 minute" must be a duration since start, like 0s, 90s, 2m or 1h30m',
      'sc.yaml:9:17 steps[0].permission: "root" must be one of "read", "triage", "write", "maintain", "admin"',
      'sc.yaml:10:35 steps[0].expect.checkout.action: "merged" must be one of "none", "open-pr", "merge", "update-pr", "close-pr", "comment" (did you mean "merge"?)',
    ]);
  });

  it('reports YAML syntax with its position', () => {
    expect(parse(`${HEAD}steps:\n  - at: 0s\n    merge: [checkout\n`)[0]).toMatch(
      /^sc\.yaml:\d+:\d+ YAML syntax: /,
    );
  });

  it('says what an empty file needs', () => {
    expect(parse('')).toEqual([
      'sc.yaml:1:1 the file is empty; it needs at least "version: 1", "name:", "repo:", "start:" and "steps:"',
    ]);
  });
});

function memoryFiles(files: Record<string, string>): ScenarioFiles {
  return {
    readFile: (p) => {
      const text = files[p];
      if (text === undefined) throw Object.assign(new Error(`ENOENT ${p}`), { code: 'ENOENT' });
      return text;
    },
    exists: (p) => p in files,
    readTree: (dir) =>
      Object.fromEntries(
        Object.entries(files)
          .filter(([p]) => p.startsWith(`${dir}/`))
          .map(([p, t]) => [p.slice(dir.length + 1), t]),
      ),
  };
}

const REPO = {
  'sc/infra/.github/failover.yml': CONFIG_TEXT,
  [`sc/infra/${STATE_PATH}`]: STATE_TEXT,
};

describe('loadScenario', () => {
  it('reads the repo relative to the file and the alert files relative to it too', () => {
    const sc = loadScenario(
      'sc/t.yaml',
      memoryFiles({
        ...REPO,
        'sc/t.yaml': `${HEAD}steps:\n  - at: 30s\n    alert: alerts/a.json\n    expect: { open_prs: 0, checkout: { action: none } }\n`,
        'sc/alerts/a.json': '{"alerts": []}',
      }),
    );
    expect(sc.repoDir).toBe('sc/infra');
    expect(Object.keys(sc.repoFiles).sort()).toEqual(['.github/failover.yml', STATE_PATH]);
    expect(sc.steps[0]).toMatchObject({
      number: 1,
      atMs: 30_000,
      event: { type: 'alert', body: { alerts: [] } },
    });
    // Expectations keep the order they were written in.
    expect(Object.keys(sc.steps[0]?.expect ?? {})).toEqual(['open_prs', 'checkout']);
  });

  it('locates names the repo does not have, missing alert files and bad JSON', () => {
    const text = `${HEAD}health: { checkout: { eu-west-1: down } }\nsteps:\n  - at: 0s\n    alert: missing.json\n  - at: 1s\n    alert: bad.json\n  - at: 2s\n    merge: payments\n  - at: 3s\n    expect: { state: { checkout: mars }, billing: { action: none } }\n`;
    const issues = issuesOf(() =>
      loadScenario('sc/t.yaml', memoryFiles({ ...REPO, 'sc/t.yaml': text, 'sc/bad.json': '{nope' })),
    );
    expect(issues).toEqual([
      'sc/t.yaml:5:23 health.checkout.eu-west-1: "eu-west-1" is not a target of checkout (targets: us-east-1, us-west-2)',
      'sc/t.yaml:8:12 steps[0].alert: cannot read missing.json: no such file',
      expect.stringMatching(/^sc\/t\.yaml:10:12 steps\[1\]\.alert: bad\.json is not valid JSON: /),
      'sc/t.yaml:12:12 steps[2].merge: "payments" is not a service or group of the repo (services: checkout)',
      'sc/t.yaml:14:34 steps[3].expect.state.checkout: "mars" is not a target of checkout (targets: us-east-1, us-west-2)',
      'sc/t.yaml:14:42 steps[3].expect.billing: "billing" is not a service or group of the repo (services: checkout)',
    ]);
  });

  it('names a repo folder without a config', () => {
    expect(
      issuesOf(() =>
        loadScenario(
          'sc/t.yaml',
          memoryFiles({ 'sc/t.yaml': `${HEAD}steps:\n  - at: 0s\n    expect: { open_prs: 0 }\n` }),
        ),
      ),
    ).toEqual(['sc/t.yaml:3:7 repo: ./infra has no .github/failover.yml']);
  });
});
