import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  asSnsEnvelope,
  checkSnsUrl,
  confirmSubscription,
  createSnsVerifier,
  type SnsEnvelope,
} from '../../../src/intake/sns-verify.js';
import { createSnsSigner, SNS_CERT_URL, type SnsSigner } from '../../helpers/sns-signer.js';

// A time inside the throwaway certificate's validity. Taken from the certificate, not the clock: it is
// made in beforeAll with second granularity, so a clock read at load time can fall before its validFrom.
let NOW = 0;
const fixture = (name: string) =>
  JSON.parse(readFileSync(`test/fixtures/sns-cloudwatch/${name}`, 'utf8')) as Record<string, unknown>;
const env = (v: Record<string, unknown>) => asSnsEnvelope(v) as SnsEnvelope;

describe('SNS signature verification', () => {
  let signer: SnsSigner;
  const fetched: string[] = [];
  beforeAll(() => {
    signer = createSnsSigner();
    NOW = Date.parse(new X509Certificate(signer.certPem).validFrom) + 60_000;
  });
  const verifier = () =>
    createSnsVerifier({
      fetchText: async (url) => {
        fetched.push(url);
        return signer.certPem;
      },
    });

  it('verifies SignatureVersion 1 and 2 and caches the certificate', async () => {
    const v = verifier();
    fetched.length = 0;
    const alarm = fixture('notification-alarm-s3-bucket-size.json');
    expect(await v.verify(env(signer.sign(alarm, { version: '1' })), NOW)).toEqual({ ok: true });
    expect(await v.verify(env(signer.sign(alarm, { version: '2' })), NOW)).toEqual({ ok: true });
    expect(fetched).toEqual([SNS_CERT_URL]);
  });

  it('refuses a certificate outside its validity period', async () => {
    const cert = new X509Certificate(signer.certPem);
    const alarm = signer.sign(fixture('notification-alarm-s3-bucket-size.json'));
    const expired = await verifier().verify(env(alarm), Date.parse(cert.validTo) + 1_000);
    expect(expired).toEqual({ ok: false, status: 403, message: 'SNS signing certificate is not valid now' });
    const early = await verifier().verify(env(alarm), Date.parse(cert.validFrom) - 1_000);
    expect(early).toEqual({ ok: false, status: 403, message: 'SNS signing certificate is not valid now' });
  });

  it('refuses a forged or tampered message', async () => {
    const v = verifier();
    const signed = signer.sign(fixture('notification-alarm-s3-bucket-size.json'));
    const tampered = { ...signed, Message: String(signed.Message).replace('ALARM', 'OK') };
    expect(await v.verify(env(tampered), NOW)).toMatchObject({
      ok: false,
      status: 403,
      message: /does not verify/,
    });
    // The fixture's real AWS signature does not verify against our certificate.
    const real = { ...fixture('notification-alarm-s3-bucket-size.json'), SigningCertURL: SNS_CERT_URL };
    expect(await v.verify(env(real), NOW)).toMatchObject({ ok: false, status: 403 });
  });

  it('refuses certificates from foreign hosts without fetching them', async () => {
    const v = createSnsVerifier({
      fetchText: async () => {
        throw new Error('must not fetch');
      },
    });
    for (const url of [
      'https://sns.eu-west-1.amazonaws.com.evil.example/cert.pem',
      'https://evil.example/sns.eu-west-1.amazonaws.com/cert.pem',
      'http://sns.eu-west-1.amazonaws.com/cert.pem',
      'https://sns.eu-west-1.amazonaws.com:8443/cert.pem',
      'https://user@sns.eu-west-1.amazonaws.com/cert.pem',
    ]) {
      const out = await v.verify(
        env(signer.sign(fixture('notification-alarm-s3-bucket-size.json'), { certUrl: url })),
        NOW,
      );
      expect(out, url).toMatchObject({ ok: false, status: 403 });
    }
    expect(checkSnsUrl('https://sns.cn-north-1.amazonaws.com.cn/a.pem', 'certificate')).toBeInstanceOf(URL);
    expect(checkSnsUrl('https://sns.us-east-1.amazonaws.com/a.txt', 'certificate')).toMatch(/\.pem/);
    expect(checkSnsUrl('https://evil.example/a.pem', 'certificate')).toBe(
      'foreign certificate host: evil.example',
    );
  });

  it('refuses an unknown SignatureVersion', async () => {
    const signed = {
      ...signer.sign(fixture('notification-alarm-s3-bucket-size.json')),
      SignatureVersion: '3',
    };
    expect(await verifier().verify(env(signed), NOW)).toMatchObject({
      status: 403,
      message: /SignatureVersion/,
    });
  });
});

describe('SubscriptionConfirmation', () => {
  const sub = env(fixture('subscription-confirmation.json'));
  it('visits SubscribeURL only for allow-listed topics', async () => {
    const visited: string[] = [];
    const fetchText = async (url: string) => {
      visited.push(url);
      return '<ConfirmSubscriptionResponse/>';
    };
    expect(
      await confirmSubscription(sub, { allowedTopics: ['arn:aws:sns:eu-west-1:1:other'], fetchText }),
    ).toMatchObject({
      ok: false,
      status: 403,
      message: /not allow-listed/,
    });
    expect(visited).toEqual([]);
    expect(await confirmSubscription(sub, { allowedTopics: [sub.TopicArn], fetchText })).toMatchObject({
      ok: true,
    });
    expect(visited).toEqual([sub.SubscribeURL]);
  });

  it('refuses a SubscribeURL on a foreign host', async () => {
    const evil = { ...sub, SubscribeURL: 'https://evil.example/?Action=ConfirmSubscription' };
    const out = await confirmSubscription(evil, {
      allowedTopics: [sub.TopicArn],
      fetchText: async () => {
        throw new Error('must not fetch');
      },
    });
    expect(out).toMatchObject({ ok: false, status: 403, message: /foreign subscribe host/ });
  });
});
