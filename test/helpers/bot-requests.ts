// Raw HTTP for intake tests. fetch() normalises `..` and `%2e%2e` in paths (WHATWG URL), so path
// traversal attempts must go out through node:http with the path exactly as written.
import { execFile } from 'node:child_process';
import { request } from 'node:http';

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: Record<string, unknown> | undefined;
}

export function rawPost(
  baseUrl: string,
  path: string,
  body: string | Buffer,
  headers: Record<string, string> = {},
  method = 'POST',
): Promise<RawAnswer> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: Record<string, unknown> | undefined;
        try {
          json = JSON.parse(text) as Record<string, unknown>;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Sends a request line and headers that announce a body, and never sends the body: the answer proves the
 * server decided without waiting for it. Runs in a child Node process over a plain socket, because the
 * test process's HTTP client is intercepted (nock) and holds a request until its body is complete.
 */
export function headersOnly(
  baseUrl: string,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(baseUrl);
  const head = [
    `POST ${path} HTTP/1.1`,
    `Host: ${hostname}`,
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  const script = `
    const [port, host, head] = JSON.parse(process.argv[1]);
    const socket = require('node:net').connect(Number(port), host, () => socket.write(head + '\\r\\n\\r\\n'));
    let text = '';
    socket.on('data', (c) => {
      text += c;
      const m = /content-length: (\\d+)\\r\\n[\\s\\S]*?\\r\\n\\r\\n([\\s\\S]*)$/i.exec(text);
      if (m && Buffer.byteLength(m[2]) >= Number(m[1])) socket.destroy();
    });
    socket.on('close', () => process.stdout.write(text));
    setTimeout(() => socket.destroy(), 20000).unref();
  `;
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['-e', script, JSON.stringify([port, hostname, head.join('\r\n')])],
      { timeout: 30_000 },
      (err, stdout) => {
        if (err) return reject(err);
        const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(stdout)?.[1] ?? 0);
        resolve({ status, text: stdout.slice(stdout.indexOf('\r\n\r\n') + 4) });
      },
    );
  });
}
