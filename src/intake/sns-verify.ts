// Amazon SNS message authentication. AWS cannot add our bearer token or HMAC header, so an SNS delivery
// is trusted only when (a) its URL carries `?token=` matching a bearer token (checked by the route) and
// (b) its RSA signature verifies against a certificate fetched over https from an SNS host. The
// certificate fetcher is injected (tests never reach AWS) and its result cached per URL.
import { verify as verifySignature, X509Certificate } from 'node:crypto';
import { snsStringToSign } from '../core/alerts/index.js';

export interface SnsEnvelope {
  Type: string;
  MessageId: string;
  TopicArn: string;
  Message: string;
  Timestamp: string;
  SignatureVersion: string;
  Signature: string;
  SigningCertURL: string;
  Subject?: string;
  Token?: string;
  SubscribeURL?: string;
  UnsubscribeURL?: string;
}

export type FetchText = (url: string) => Promise<string>;

export type SnsOutcome = { ok: true } | { ok: false; status: 400 | 403; message: string };

const SNS_HOST = /^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/;

/** Reads the envelope fields, or explains which one is missing. */
export function asSnsEnvelope(body: unknown): SnsEnvelope | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return 'SNS body must be a JSON object';
  const o = body as Record<string, unknown>;
  const required = ['Type', 'MessageId', 'TopicArn', 'Message', 'Timestamp', 'SignatureVersion', 'Signature'];
  for (const key of [...required, 'SigningCertURL']) {
    if (typeof o[key] !== 'string') return `SNS message has no ${key}`;
  }
  for (const key of ['Subject', 'Token', 'SubscribeURL', 'UnsubscribeURL']) {
    if (o[key] !== undefined && o[key] !== null && typeof o[key] !== 'string')
      return `SNS ${key} must be a string`;
  }
  return o as unknown as SnsEnvelope;
}

/** https on an `sns.<region>.amazonaws.com(.cn)` host, default port, no credentials in the URL. */
export function checkSnsUrl(raw: string, what: 'certificate' | 'subscribe'): URL | string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `${what} URL is not a URL`;
  }
  if (url.protocol !== 'https:') return `${what} URL must be https`;
  if (url.username || url.password || url.port) return `foreign ${what} host: ${url.host}`;
  if (!SNS_HOST.test(url.hostname)) return `foreign ${what} host: ${url.hostname}`;
  if (what === 'certificate' && !url.pathname.endsWith('.pem'))
    return 'certificate URL must point at a .pem file';
  return url;
}

export interface SnsVerifier {
  verify(env: SnsEnvelope, nowMs: number): Promise<SnsOutcome>;
}

/** Verifies signatures; certificates are cached by URL (a bounded number, in-flight fetches shared). */
export function createSnsVerifier(opts: { fetchText: FetchText; maxCached?: number }): SnsVerifier {
  const cache = new Map<string, Promise<X509Certificate>>();
  const maxCached = opts.maxCached ?? 20;

  const certificate = (url: string): Promise<X509Certificate> => {
    let pending = cache.get(url);
    if (!pending) {
      pending = opts.fetchText(url).then((pem) => new X509Certificate(pem));
      // A failed fetch is not cached: the next delivery (SNS retries) tries again.
      pending.catch(() => cache.delete(url));
      if (cache.size >= maxCached) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
      cache.set(url, pending);
    }
    return pending;
  };

  return {
    async verify(env, nowMs) {
      const algorithm =
        env.SignatureVersion === '1' ? 'sha1' : env.SignatureVersion === '2' ? 'sha256' : undefined;
      if (!algorithm) {
        return {
          ok: false,
          status: 403,
          message: `unsupported SNS SignatureVersion ${env.SignatureVersion}`,
        };
      }
      const url = checkSnsUrl(env.SigningCertURL, 'certificate');
      if (typeof url === 'string') return { ok: false, status: 403, message: url };
      let cert: X509Certificate;
      try {
        cert = await certificate(url.href);
      } catch (thrown: unknown) {
        const why = thrown instanceof Error ? thrown.message : String(thrown);
        return { ok: false, status: 403, message: `could not load the SNS signing certificate: ${why}` };
      }
      if (Date.parse(cert.validTo) < nowMs || Date.parse(cert.validFrom) > nowMs) {
        return { ok: false, status: 403, message: 'SNS signing certificate is not valid now' };
      }
      const signature = Buffer.from(env.Signature, 'base64');
      let signed: string;
      try {
        // The core builds the canonical bytes (and refuses envelopes missing a signed field).
        signed = snsStringToSign(env);
      } catch (thrown: unknown) {
        return {
          ok: false,
          status: 400,
          message: thrown instanceof Error ? thrown.message : 'bad SNS envelope',
        };
      }
      let valid = false;
      try {
        valid = verifySignature(algorithm, Buffer.from(signed, 'utf8'), cert.publicKey, signature);
      } catch {
        valid = false;
      }
      return valid ? { ok: true } : { ok: false, status: 403, message: 'SNS signature does not verify' };
    },
  };
}

/**
 * Confirms a verified SubscriptionConfirmation by visiting its SubscribeURL, but only for topics on the
 * allow-list: otherwise anyone able to publish to some SNS topic could subscribe this endpoint to it.
 */
export async function confirmSubscription(
  env: SnsEnvelope,
  opts: { allowedTopics: readonly string[]; fetchText: FetchText },
): Promise<SnsOutcome & { confirmed?: boolean }> {
  if (!opts.allowedTopics.includes(env.TopicArn)) {
    return {
      ok: false,
      status: 403,
      message: `topic ${env.TopicArn} is not allow-listed (add it to FAILOVER_SNS_TOPICS to subscribe)`,
    };
  }
  if (!env.SubscribeURL)
    return { ok: false, status: 400, message: 'SubscriptionConfirmation has no SubscribeURL' };
  const url = checkSnsUrl(env.SubscribeURL, 'subscribe');
  if (typeof url === 'string') return { ok: false, status: 403, message: url };
  const urlTopic = url.searchParams.get('TopicArn');
  if (urlTopic !== null && urlTopic !== env.TopicArn) {
    return { ok: false, status: 403, message: 'SubscribeURL names a different topic than the message' };
  }
  await opts.fetchText(url.href);
  return { ok: true, confirmed: true };
}
