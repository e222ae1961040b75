// The bot's logger never writes credentials, whatever a handler (or Probot's request log) passes it.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createBotLogger, REDACTED, redactUrl } from '../../../bot/logging.js';

async function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      cb();
    },
  });
  const log = await createBotLogger({ logFormat: 'json', destination });
  return { log, lines };
}

describe('createBotLogger', () => {
  it('redacts request credentials and URL tokens but keeps the rest readable', async () => {
    const { log, lines } = await capture();
    log
      .child({
        req: {
          method: 'POST',
          url: '/failover/v1/alerts/acme/infra?source=sns&token=s3cr3t-token',
          headers: {
            authorization: 'Bearer s3cr3t-token',
            'x-failover-signature-256': 'sha256=deadbeef',
            'x-hub-signature-256': 'sha256=cafe',
            'content-type': 'text/plain',
          },
        },
      })
      .info('POST done');
    log.info({ event: 'x', auth: { token: 's3cr3t-token', privateKey: '-----BEGIN' } }, 'nested');
    await new Promise((r) => setImmediate(r));
    const text = lines.join('\n');
    expect(text).not.toContain('s3cr3t-token');
    expect(text).not.toContain('deadbeef');
    expect(text).not.toContain('-----BEGIN');
    const first = JSON.parse(lines[0] ?? '{}') as { req: { url: string; headers: Record<string, string> } };
    expect(first.req.url).toBe(`/failover/v1/alerts/acme/infra?source=sns&token=${REDACTED}`);
    expect(first.req.headers.authorization).toBe(REDACTED);
    expect(first.req.headers['content-type']).toBe('text/plain');
  });

  it('redactUrl strips every token parameter', () => {
    expect(redactUrl('/a?token=x&b=1&TOKEN=y')).toBe(`/a?token=${REDACTED}&b=1&TOKEN=${REDACTED}`);
    expect(redactUrl('/a?b=1')).toBe('/a?b=1');
  });
});
