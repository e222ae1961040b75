// The image's build stage: scripts/build-bot.mjs bundles bot/server.ts with its licence notices; the
// bundle starts on its own (no tsx, no node_modules beside it) and its /healthz and failover_build_info
// report package.json's version.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, waitFor } from '../helpers/ports.js';
import { TEST_MARKER_KEY, throwawayPrivateKey } from '../helpers/probot-kit.js';

const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
let out: string;

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'failover-bot-bundle-'));
  execFileSync(process.execPath, ['scripts/build-bot.mjs', out], { encoding: 'utf8' });
}, 120_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('the bot bundle (what the image runs)', () => {
  it('comes with its licence notices', () => {
    const notices = readFileSync(join(out, 'THIRD-PARTY-NOTICES.txt'), 'utf8');
    expect(notices).toMatch(/^Third-party software bundled in server\.mjs/);
    expect(notices).toMatch(/^probot \d+\.\d+\.\d+ \(ISC\)$/m);
  });

  it('starts alone and reports the package version on /healthz and in failover_build_info', async () => {
    expect(existsSync(join(out, 'server.mjs'))).toBe(true);
    const port = await freePort();
    const child = spawn(process.execPath, [join(out, 'server.mjs')], {
      cwd: out,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(port),
        APP_ID: '1',
        PRIVATE_KEY: throwawayPrivateKey(),
        WEBHOOK_SECRET: 'bundle-test-secret',
        FAILOVER_ALERT_TOKENS: 'bundle-test-token',
        FAILOVER_MARKER_KEY: TEST_MARKER_KEY,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    try {
      const url = `http://127.0.0.1:${port}`;
      await waitFor(
        async () => (await fetch(`${url}/healthz`).catch(() => undefined))?.ok === true,
        60_000,
        `the bundled bot to answer /healthz (output: ${output})`,
      );
      expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ ok: true, version });
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(metrics).toContain(`failover_build_info{version="${version}"`);
      expect(metrics).toMatch(/^process_resident_memory_bytes \d/m);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  }, 120_000);
});
