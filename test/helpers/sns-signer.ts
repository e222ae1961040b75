// Test-only SNS signer: a throwaway RSA key and self-signed certificate (made with the openssl CLI, since
// node:crypto cannot issue certificates), and a function that signs envelopes the way SNS does.
import { execFileSync } from 'node:child_process';
import { sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { snsStringToSign } from '../../src/core/alerts/index.js';

export const SNS_CERT_URL = 'https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-test.pem';

export interface SnsSigner {
  certPem: string;
  /** Returns a copy of the envelope with SignatureVersion, SigningCertURL and a valid Signature. */
  sign(
    envelope: Record<string, unknown>,
    opts?: { version?: '1' | '2'; certUrl?: string },
  ): Record<string, unknown>;
}

export function createSnsSigner(): SnsSigner {
  const dir = mkdtempSync(join(tmpdir(), 'sns-signer-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=sns.amazonaws.com',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    const keyPem = readFileSync(join(dir, 'key.pem'), 'utf8');
    const certPem = readFileSync(join(dir, 'cert.pem'), 'utf8');
    return {
      certPem,
      sign(envelope, opts = {}) {
        const version = opts.version ?? '1';
        const out: Record<string, unknown> = {
          ...envelope,
          SignatureVersion: version,
          SigningCertURL: opts.certUrl ?? SNS_CERT_URL,
        };
        const algorithm = version === '1' ? 'sha1' : 'sha256';
        out.Signature = sign(algorithm, Buffer.from(snsStringToSign(out), 'utf8'), keyPem).toString('base64');
        return out;
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
