// Every test file runs with the network closed: only loopback (local servers that are the point of a
// test) may be reached. Unused or unmatched GitHub mocks fail the test that left them.
import nock from 'nock';
import { afterEach, beforeAll } from 'vitest';

const unmatched: string[] = [];

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect((host) => /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(host));
  nock.emitter.on('no match', (req: { method?: string; path?: string; host?: string; hostname?: string }) => {
    const host = req.host ?? req.hostname ?? '';
    if (/^(127\.0\.0\.1|localhost)/.test(host)) return;
    unmatched.push(`${req.method ?? '?'} ${host}${req.path ?? ''}`);
  });
});

afterEach(() => {
  const pending = nock.pendingMocks();
  const missed = unmatched.splice(0);
  nock.cleanAll();
  if (pending.length > 0) throw new Error(`unused HTTP mocks: ${pending.join(', ')}`);
  if (missed.length > 0) throw new Error(`unmatched HTTP requests: ${missed.join(', ')}`);
});
