// The retry wrapper over a real Octokit with strict nock: what is retried, how long it waits, what is not.
import nock from 'nock';
import { Octokit } from 'octokit';
import { describe, expect, it } from 'vitest';
import { createPortContext, GitHubError, toGitHubError } from '../../../src/github/client.js';

const API = 'https://api.github.com';

function setup(retry?: { retries?: number; baseMs?: number; maxWaitMs?: number }) {
  const sleeps: number[] = [];
  const client = new Octokit({ auth: 'test', retry: { enabled: false }, throttle: { enabled: false } });
  const ctx = createPortContext({
    client,
    owner: 'acme',
    repo: 'infra',
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    now: () => 1_800_000_000_000,
    random: () => 0.5,
    ...(retry ? { retry } : {}),
  });
  return { ctx, sleeps };
}

describe('retrying client', () => {
  it('retries a 502 with backoff and then succeeds', async () => {
    nock(API).get('/repos/acme/infra/pulls/1').reply(502, { message: 'Bad Gateway' });
    nock(API).get('/repos/acme/infra/pulls/1').reply(502, { message: 'Bad Gateway' });
    nock(API).get('/repos/acme/infra/pulls/1').reply(200, { number: 1 });
    const { ctx, sleeps } = setup({ baseMs: 100 });
    const res = await ctx.gh.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', {
      owner: 'acme',
      repo: 'infra',
      pull_number: 1,
    });
    expect(res.data).toEqual({ number: 1 });
    // equal jitter with random 0.5: 75% of each doubling step
    expect(sleeps).toEqual([75, 150]);
  });

  it('honours retry-after on a secondary rate limit (403)', async () => {
    nock(API)
      .post('/repos/acme/infra/issues/1/comments')
      .reply(403, { message: 'You have exceeded a secondary rate limit.' }, { 'retry-after': '30' });
    nock(API).post('/repos/acme/infra/issues/1/comments').reply(201, { id: 9 });
    const { ctx, sleeps } = setup();
    const res = await ctx.gh.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      owner: 'acme',
      repo: 'infra',
      issue_number: 1,
      body: 'x',
    });
    expect(res.data.id).toBe(9);
    expect(sleeps).toEqual([30_000]);
  });

  it('waits for the rate-limit reset when x-ratelimit-remaining is 0', async () => {
    nock(API)
      .get('/repos/acme/infra')
      .reply(
        429,
        { message: 'rate limited' },
        { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(1_800_000_000 + 12) },
      );
    nock(API).get('/repos/acme/infra').reply(200, { id: 1 });
    const { ctx, sleeps } = setup();
    await ctx.gh.request('GET /repos/{owner}/{repo}', { owner: 'acme', repo: 'infra' });
    expect(sleeps).toEqual([12_000]);
  });

  it('does not retry a 404 or a permission 403', async () => {
    nock(API).get('/repos/acme/infra/pulls/2').reply(404, { message: 'Not Found' });
    nock(API)
      .get('/repos/acme/infra/pulls/3')
      .reply(403, { message: 'Resource not accessible by integration' });
    const { ctx, sleeps } = setup();
    await expect(
      ctx.gh.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', {
        owner: 'acme',
        repo: 'infra',
        pull_number: 2,
      }),
    ).rejects.toMatchObject({
      name: 'GitHubError',
      status: 404,
      retryable: false,
    });
    await expect(
      ctx.gh.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', {
        owner: 'acme',
        repo: 'infra',
        pull_number: 3,
      }),
    ).rejects.toMatchObject({
      status: 403,
      retryable: false,
      message: 'Resource not accessible by integration',
    });
    expect(sleeps).toEqual([]);
  });

  it('gives up after the configured retries with a retryable GitHubError', async () => {
    nock(API).get('/repos/acme/infra').times(3).reply(503, { message: 'Service Unavailable' });
    const { ctx, sleeps } = setup({ retries: 2 });
    const err = await ctx.gh
      .request('GET /repos/{owner}/{repo}', { owner: 'acme', repo: 'infra' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitHubError);
    expect(err).toMatchObject({ status: 503, retryable: true });
    expect(sleeps).toHaveLength(2);
  });

  it('does not sit out a retry-after longer than maxWaitMs: the caller answers 503 instead', async () => {
    nock(API)
      .get('/repos/acme/infra')
      .reply(403, { message: 'secondary rate limit' }, { 'retry-after': '600' });
    const { ctx, sleeps } = setup({ maxWaitMs: 10_000 });
    await expect(
      ctx.gh.request('GET /repos/{owner}/{repo}', { owner: 'acme', repo: 'infra' }),
    ).rejects.toMatchObject({ status: 403, retryable: true });
    expect(sleeps).toEqual([]);
  });

  it('retries a GraphQL 502 and turns GraphQL errors into a non-retryable GitHubError with the partial data', async () => {
    nock(API).post('/graphql').reply(502, { message: 'Bad Gateway' });
    nock(API)
      .post('/graphql', (body: { query: string }) => body.query.includes('FailoverOpenPr'))
      .reply(200, {
        data: { ref: null, pr: null },
        errors: [{ type: 'UNPROCESSABLE', message: 'A ref named "x" already exists', path: ['ref'] }],
      });
    const { ctx, sleeps } = setup();
    const err = (await ctx.gh
      .graphql('mutation FailoverOpenPr { x }')
      .catch((e: unknown) => e)) as GitHubError;
    expect(err).toBeInstanceOf(GitHubError);
    expect(err.status).toBe(200);
    expect(err.retryable).toBe(false);
    expect(err.graphqlErrors[0]?.type).toBe('UNPROCESSABLE');
    expect(err.data).toEqual({ ref: null, pr: null });
    expect(sleeps).toHaveLength(1);
  });

  it('classifies anything thrown', () => {
    expect(toGitHubError(new Error('socket hang up'))).toMatchObject({ status: 0, retryable: true });
    expect(toGitHubError('weird')).toMatchObject({ status: 0, retryable: true });
    expect(toGitHubError({ status: 422, message: 'Validation Failed' })).toMatchObject({
      status: 422,
      retryable: false,
    });
    expect(
      toGitHubError({ errors: [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded' }] }),
    ).toMatchObject({ status: 200, retryable: true });
  });
});
