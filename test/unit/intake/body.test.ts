import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IntakeHttpError, MAX_BODY_BYTES, parseJsonBody, readBody } from '../../../src/intake/body.js';

describe('parseJsonBody', () => {
  const raw = (v: unknown) => Buffer.from(JSON.stringify(v));
  const sns = {
    Type: 'Notification',
    TopicArn: 'arn:aws:sns:eu-west-1:1:t',
    Signature: 'x',
    SigningCertURL: 'https://x',
  };

  it('parses JSON media types', () => {
    expect(parseJsonBody(raw({ a: 1 }), 'application/json; charset=utf-8')).toEqual({ a: 1 });
    expect(parseJsonBody(raw({ a: 1 }), 'application/vnd.pagerduty+json')).toEqual({ a: 1 });
  });

  it('accepts text/plain only for SNS', () => {
    expect(parseJsonBody(raw(sns), 'text/plain; charset=UTF-8')).toEqual(sns);
    expect(parseJsonBody(raw({ a: 1 }), 'text/plain', 'sns')).toEqual({ a: 1 });
    expect(() => parseJsonBody(raw({ a: 1 }), 'text/plain')).toThrow(
      expect.objectContaining({ status: 415 }),
    );
  });

  it('answers 415 for other types and 400 for invalid JSON', () => {
    expect(() => parseJsonBody(raw({}), 'application/x-www-form-urlencoded')).toThrow(
      /content type must be application\/json/,
    );
    expect(() => parseJsonBody(raw({}), undefined)).toThrow(expect.objectContaining({ status: 415 }));
    expect(() => parseJsonBody(Buffer.from('{nope'), 'application/json')).toThrow(
      expect.objectContaining({ status: 400, message: expect.stringMatching(/not valid JSON/) }),
    );
  });
});

describe('readBody over a real socket', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      readBody(req, 1000).then(
        (buf) => res.writeHead(200).end(String(buf.length)),
        (err: IntakeHttpError) => res.writeHead(err.status, err.headers).end(err.message),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('reads bodies under the limit', async () => {
    const res = await fetch(url, { method: 'POST', body: 'x'.repeat(999) });
    expect([res.status, await res.text()]).toEqual([200, '999']);
  });

  it('refuses by content-length and while streaming a chunked body', async () => {
    const declared = await fetch(url, { method: 'POST', body: 'x'.repeat(1001) });
    expect(declared.status).toBe(413);
    const stream = new ReadableStream({
      start(c) {
        for (let i = 0; i < 5; i++) c.enqueue(new TextEncoder().encode('y'.repeat(400)));
        c.close();
      },
    });
    const chunked = await fetch(url, { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
    expect([chunked.status, await chunked.text()]).toEqual([413, 'body is larger than 1000 bytes']);
  });

  it('has a 1 MiB default', () => {
    expect(MAX_BODY_BYTES).toBe(1_048_576);
  });
});
