// Every test file runs with the network closed: only loopback (local servers that are the point of a
// test) may be reached. Unused or unmatched GitHub mocks fail the test that left them. And the secret
// guard (leak-guard.ts): a test whose captured logs or GitHub-bound bodies contain a registered secret
// fails, whatever the test itself asserts.
import nock from 'nock';
import { afterEach, beforeAll, beforeEach } from 'vitest';
import { captureGitHubFetch, findLeaks, resetCaptured } from './leak-guard.js';

const unmatched: string[] = [];
const LOOPBACK = /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/;

function requestTarget(req: { path?: string; host?: string; hostname?: string; url?: string }): string {
  if (typeof req.url === 'string' && /^[a-z]+:\/\//.test(req.url)) {
    const u = new URL(req.url);
    return `${u.host}${u.pathname}`;
  }
  return `${req.host ?? req.hostname ?? ''}${req.path ?? ''}`;
}

beforeAll(() => {
  captureGitHubFetch();
  nock.disableNetConnect();
  nock.enableNetConnect((host) => LOOPBACK.test(host));
  // http.request hands nock an options object; fetch hands it a Request with a full URL.
  nock.emitter.on(
    'no match',
    (req: { method?: string; path?: string; host?: string; hostname?: string; url?: string }) => {
      const target = requestTarget(req);
      if (LOOPBACK.test(target)) return;
      unmatched.push(`${req.method ?? '?'} ${target}`);
    },
  );
});

beforeEach(() => {
  resetCaptured();
});

afterEach(() => {
  const leaks = findLeaks();
  resetCaptured();
  if (leaks.length > 0) throw new Error(`secret guard: ${leaks.join('; ')}`);
  const pending = nock.pendingMocks();
  const missed = unmatched.splice(0);
  nock.cleanAll();
  if (pending.length > 0) throw new Error(`unused HTTP mocks: ${pending.join(', ')}`);
  if (missed.length > 0) throw new Error(`unmatched HTTP requests: ${missed.join(', ')}`);
});
