// Strict credentials (the sandbox's in-memory GitHub): 401 "Bad credentials" for any token it did not
// issue, so a program that kept an old in-memory GitHub's URL, now served by this one on a reused port,
// cannot write into the sandbox's repo. Real HTTP against the real server.
import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DoubleState, type GitHubDouble, startGitHubDouble } from '../../src/memory-github/index.js';
import { INSTALLATION_TOKEN } from '../../src/memory-github/rest.js';
import { infraRepoFiles } from '../helpers/github-double/fixtures.js';

const app = generateKeyPairSync('rsa', { modulusLength: 2048 });
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ACTIONS = 'ghs_job_token';
const PERSON = 'ghp_alice';

/** An app JWT as Octokit makes one: RS256, iat a minute back, exp in ten minutes (or past). */
function jwt(key: KeyObject, expInSeconds = 600): string {
  const now = Math.floor(Date.now() / 1000);
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const unsigned = `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ iat: now - 60, exp: now + expInSeconds, iss: '1' })}`;
  const signature = createSign('RSA-SHA256').update(unsigned).sign(key).toString('base64url');
  return `${unsigned}.${signature}`;
}

let github: GitHubDouble;
let loose: GitHubDouble;

beforeAll(async () => {
  const state = new DoubleState();
  state.seed('acme', 'infra', infraRepoFiles());
  state.people.set(PERSON, { login: 'alice', type: 'User' });
  github = await startGitHubDouble({
    state,
    secondaryLimit: false,
    strictCredentials: {
      appPublicKey: app.publicKey.export({ type: 'spki', format: 'pem' }) as string,
      actionsTokens: [ACTIONS],
    },
  });
  const other = new DoubleState();
  other.seed('acme', 'infra', infraRepoFiles());
  loose = await startGitHubDouble({ state: other, secondaryLimit: false });
});
afterAll(async () => {
  await github.close();
  await loose.close();
});

async function call(base: string, method: string, path: string, token?: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `token ${token}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const mint = async (base: string, token: string) =>
  (await call(base, 'POST', '/app/installations/1/access_tokens', token)).json.token as string;

describe('an in-memory GitHub with strict credentials', () => {
  it('lets in its app (JWT of its key, then the token it minted), its job token and its people', async () => {
    const token = await mint(github.url, jwt(app.privateKey));
    expect(token.startsWith(INSTALLATION_TOKEN)).toBe(true);
    expect((await call(github.url, 'GET', '/repos/acme/infra/pulls', token)).status).toBe(200);
    expect((await call(github.url, 'GET', '/repos/acme/infra/pulls', ACTIONS)).status).toBe(200);
    const issue = await call(github.url, 'POST', '/repos/acme/infra/issues', PERSON, { title: 'notes' });
    expect(issue.status).toBe(201);
  });

  it('answers 401 "Bad credentials" to everything else, and changes nothing', async () => {
    const repo = github.state.repo('acme', 'infra');
    const [files, issues] = [github.state.files(repo!), repo?.issues.size];
    const strangers = [
      undefined,
      'ghs_made_up',
      `${INSTALLATION_TOKEN}_1`, // the old fixed form
      await mint(loose.url, jwt(stranger.privateKey)), // another in-memory GitHub's token
      jwt(stranger.privateKey), // a JWT of another key
      jwt(app.privateKey, -60), // an expired JWT of the right key
    ];
    for (const token of strangers) {
      const answer = await call(github.url, 'POST', '/repos/acme/infra/issues', token, { title: 'x' });
      expect([token, answer.status, answer.json.message]).toEqual([token, 401, 'Bad credentials']);
      expect(answer.json.documentation_url).toMatch(/^https:\/\/docs\.github\.com\//);
    }
    expect([github.state.files(repo!), repo?.issues.size]).toEqual([files, issues]);
  });

  it('without strict credentials, any token is taken as before', async () => {
    expect((await call(loose.url, 'GET', '/repos/acme/infra/pulls', 'ghs_made_up')).status).toBe(200);
  });
});
