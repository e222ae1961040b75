// The Action's small parts: input validation, the runner environment, failure messages, report markdown.
import { describe, expect, it } from 'vitest';
import { serviceUrl } from '../../../src/action/apply.js';
import { describeFailure } from '../../../src/action/failure.js';
import { readInputs } from '../../../src/action/inputs.js';
import { renderSteps } from '../../../src/action/report.js';
import { readRunnerEnv } from '../../../src/action/runner-env.js';
import { parseVerifyMarker, verifyMarker } from '../../../src/core/render/verify-record.js';
import { GitHubError } from '../../../src/github/index.js';

const get = (values: Record<string, string>) => (name: string) => values[name] ?? '';

describe('readInputs', () => {
  it('applies the documented defaults and splits the services filter', () => {
    expect(readInputs(get({ command: 'apply', services: ' checkout , ,edge ' }))).toEqual({
      command: 'apply',
      config: '.github/failover.yml',
      workingDirectory: '.',
      iac: 'terraform',
      iacBinary: undefined,
      stack: undefined,
      githubToken: undefined,
      services: ['checkout', 'edge'],
    });
  });

  it('takes iac none, and a stack with iac cdktn', () => {
    expect(readInputs(get({ command: 'apply', iac: 'none' })).iac).toBe('none');
    expect(readInputs(get({ command: 'apply', iac: 'cdktn', stack: 'prod.eu-1' }))).toMatchObject({
      iac: 'cdktn',
      stack: 'prod.eu-1',
    });
  });

  it.each([
    ['', undefined],
    ['   ', undefined],
    ['\t\n', undefined],
    ['${{ github.token }}', undefined],
    ['${{secrets.FAILOVER_TOKEN}}', undefined],
    [' ghs_abc ', 'ghs_abc'],
  ])('takes the token input %j as %j', (raw, token) => {
    expect(readInputs(get({ command: 'verify', 'github-token': raw })).githubToken).toBe(token);
  });

  it.each([
    [{ command: '' }, 'input "command" must be plan, apply or verify (got "")'],
    [{ command: 'plan', iac: 'pulumi' }, 'input "iac" must be terraform, tofu, cdktn or none (got "pulumi")'],
    [{ command: 'plan', iac: 'cdktn' }, 'input "stack" is required with iac: cdktn'],
    [{ command: 'plan', iac: 'cdktn', stack: '../etc' }, 'input "stack" must be a cdktn stack name'],
    [{ command: 'plan', iac: 'cdktn', stack: 'a/b' }, 'input "stack" must be a cdktn stack name'],
    [{ command: 'plan', stack: 'prod' }, 'input "stack" only applies to iac: cdktn (iac is terraform)'],
    [
      { command: 'plan', 'working-directory': 'envs/../../etc' },
      'input "working-directory" must stay inside',
    ],
    [
      { command: 'plan', 'working-directory': '/home/runner/.aws' },
      'input "working-directory" must stay inside',
    ],
    [{ command: 'plan', config: '../../.ssh/config' }, 'input "config" must stay inside the repository'],
    [{ command: 'plan', config: '/etc/passwd' }, 'input "config" must stay inside the repository'],
    [
      { command: 'plan', config: 'C:\\runner\\failover.yml' },
      'input "config" must stay inside the repository',
    ],
  ])('refuses %j', (values, message) => {
    expect(() => readInputs(get(values))).toThrow(message);
  });
});

describe('readRunnerEnv', () => {
  const files: Record<string, string> = { '/ev.json': '{"after":"abc"}', '/bad.json': '{' };
  const read = (p: string) => {
    const text = files[p];
    if (text === undefined) throw new Error('ENOENT');
    return text;
  };

  it('reads repository, event, sha, run URL and API URL', () => {
    const env = readRunnerEnv(
      {
        GITHUB_REPOSITORY: 'acme/infra',
        GITHUB_EVENT_PATH: '/ev.json',
        GITHUB_EVENT_NAME: 'push',
        GITHUB_SHA: 'abc',
        GITHUB_RUN_ID: '9',
        GITHUB_SERVER_URL: 'https://ghe.example.com',
        GITHUB_API_URL: 'https://ghe.example.com/api/v3/',
      },
      read,
      '/cwd',
    );
    expect(env).toEqual({
      event: {
        name: 'push',
        payload: { after: 'abc' },
        sha: 'abc',
        owner: 'acme',
        repo: 'infra',
        runUrl: 'https://ghe.example.com/acme/infra/actions/runs/9',
      },
      workspace: '/cwd',
      apiUrl: 'https://ghe.example.com/api/v3',
    });
  });

  it.each([
    [{}, 'GITHUB_REPOSITORY must be "owner/repo" (got "")'],
    [{ GITHUB_REPOSITORY: 'o/r', GITHUB_EVENT_PATH: '/missing.json' }, 'cannot be read'],
    [{ GITHUB_REPOSITORY: 'o/r', GITHUB_EVENT_PATH: '/bad.json' }, 'is not JSON'],
  ])('refuses %j with a clear message', (env, message) => {
    expect(() => readRunnerEnv(env, read, '/')).toThrow(message);
  });
});

describe('describeFailure', () => {
  it('adds the HTTP status, and the permissions to grant for 403/404', () => {
    expect(describeFailure(new GitHubError(500, true, 'Server Error'))).toBe('HTTP 500: Server Error');
    expect(describeFailure(new GitHubError(0, true, 'ECONNRESET'))).toBe('network error: ECONNRESET');
    expect(describeFailure(new GitHubError(403, false, 'Resource not accessible by integration'))).toContain(
      'grant `checks: write`, `pull-requests: write` and `deployments: write`',
    );
    expect(describeFailure('plain string')).toBe('plain string');
    expect(describeFailure({ code: 7 })).toBe('{"code":7}');
  });
});

describe('report markdown', () => {
  it('the verify record survives values that would close an HTML comment', () => {
    const data = { failure: 'x --> <b>', services: ['checkout'], rtoSeconds: 12 };
    const text = `### result\n\n${verifyMarker(data)}\n`;
    expect(text.match(/-->/g)).toHaveLength(1);
    expect(parseVerifyMarker(text)).toEqual(data);
  });

  it('steps render as one table row each, pipes and newlines escaped', () => {
    const table = renderSteps([
      { step: 'terraform init', ok: true, ms: 1500 },
      { step: 'terraform apply', ok: false, ms: 200, detail: 'Error | one\ntwo' },
    ]);
    const rows = table.split('\n');
    expect(rows).toHaveLength(4);
    expect(rows[3]).toContain('| terraform apply | **failed** |');
    expect(rows[3]).toContain('Error \\| one two');
  });
});

describe('serviceUrl (deployment environment_url)', () => {
  const svc = (over: Record<string, unknown>) =>
    ({
      mode: 'active-passive',
      verify: {
        checks: [
          { name: 'dns', dns: {} },
          { name: 'h', http: { url: 'https://u:p@{target}.app.example.com/healthz?token=s' } },
        ],
      },
      ...over,
    }) as unknown as Parameters<typeof serviceUrl>[0];

  it('is the first HTTP check URL for the new target, without credentials or query', () => {
    expect(serviceUrl(svc({}), 'us-west-2')).toBe('https://us-west-2.app.example.com/healthz');
  });

  it('is unknown for weighted services, services without an HTTP check, and non-HTTP URLs', () => {
    expect(serviceUrl(svc({ mode: 'weighted' }), { a: 1 })).toBeUndefined();
    expect(serviceUrl(svc({ verify: { checks: [{ name: 't', tcp: {} }] } }), 'x')).toBeUndefined();
    expect(
      serviceUrl(svc({ verify: { checks: [{ name: 'h', http: { url: 'ftp://{target}/' } }] } }), 'x'),
    ).toBeUndefined();
    expect(serviceUrl(undefined, 'x')).toBeUndefined();
  });
});
