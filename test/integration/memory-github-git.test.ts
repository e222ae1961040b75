// The in-memory GitHub's commit ids are git's own: a commit materialised into a real repository keeps
// its id, and the webhooks it sends are signed and shaped as GitHub's.
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DoubleState, deliverWebhooks } from '../../src/memory-github/index.js';
import { checkout } from '../../src/sandbox/git-materialise.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('in-memory GitHub commits as real git commits', () => {
  it('materialises the example repo and a merge: git agrees on every id and reads every file', async () => {
    const state = new DoubleState();
    const repo = state.seedFromDirectory('acme', 'infra', 'examples/infra-repo');
    const first = state.headSha(repo) ?? '';
    const next = state.push(repo, 'main', {
      'envs/prod/failover.auto.tfvars.json': '{"checkout_active_region":"us-west-2"}\n',
      'docs/a b.md': 'é\n',
    });
    const dir = mkdtempSync(join(tmpdir(), 'failover-git-'));
    dirs.push(dir);
    await checkout(dir, repo, next.sha, 'main');
    const git = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' });
    expect(git('rev-parse', 'HEAD').trim()).toBe(next.sha);
    expect(git('rev-parse', 'HEAD^').trim()).toBe(first);
    git('fsck', '--strict', '--no-dangling');
    expect(git('show', `${next.sha}:docs/a b.md`)).toBe('é\n');
    expect(git('show', `${first}:envs/prod/failover.auto.tfvars.json`)).toContain('us-east-1');
    expect(git('diff', '--name-only', first, next.sha).trim().split('\n').sort()).toEqual([
      'docs/a b.md',
      'envs/prod/failover.auto.tfvars.json',
    ]);
  });
});

describe('webhooks from the in-memory GitHub', () => {
  it('delivers a push with GitHub headers and a valid X-Hub-Signature-256', async () => {
    const received: { headers: Record<string, unknown>; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => {
        body += d;
      });
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const state = new DoubleState();
    const repo = state.seed('acme', 'infra', { 'a.txt': 'a' });
    const sender = deliverWebhooks(state, url, 'shh');
    const before = state.headSha(repo);
    const commit = state.push(repo, 'main', { 'a.txt': 'b' });
    await sender.idle();
    sender.stop();
    server.close();
    expect(sender.failures).toEqual([]);
    expect(received).toHaveLength(1);
    const [hook] = received;
    expect(hook?.headers['x-github-event']).toBe('push');
    expect(hook?.headers['x-hub-signature-256']).toBe(
      `sha256=${createHmac('sha256', 'shh')
        .update(hook?.body ?? '')
        .digest('hex')}`,
    );
    expect(JSON.parse(hook?.body ?? '{}')).toMatchObject({
      ref: 'refs/heads/main',
      before,
      after: commit.sha,
      repository: { full_name: 'acme/infra', owner: { login: 'acme' } },
      installation: { id: repo.installationId },
    });
  });
});
