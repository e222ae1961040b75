// The canonical "string to sign" of an SNS HTTP(S) message (AWS SNS developer guide, "Verifying the
// signatures of Amazon SNS messages"). The bot verifies the signature with node:crypto; building the
// bytes is pure and lives here so it can be tested against hand-built strings.
import { own, PayloadReader, preview } from './read.js';

/** Fields signed, in byte order of their names, per message type. Subject only when present. */
const NOTIFICATION_FIELDS = ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'] as const;
const CONFIRMATION_FIELDS = [
  'Message',
  'MessageId',
  'SubscribeURL',
  'Timestamp',
  'Token',
  'TopicArn',
  'Type',
] as const;

export type SnsSignatureAlgorithm = 'RSA-SHA1' | 'RSA-SHA256';

/**
 * `name\nvalue\n` for each signed field. Version 1 and 2 sign the same string; only the hash differs
 * (see snsSignatureAlgorithm). Throws PayloadError when a field that must be signed is missing.
 */
export function snsStringToSign(envelopeValue: unknown): string {
  const reader: PayloadReader = new PayloadReader('sns');
  const envelope = reader.record(envelopeValue, '');
  snsSignatureAlgorithm(envelope);
  const type = reader.string(own(envelope, 'Type'), 'Type');
  let fields: readonly string[];
  if (type === 'Notification') fields = NOTIFICATION_FIELDS;
  else if (type === 'SubscriptionConfirmation' || type === 'UnsubscribeConfirmation')
    fields = CONFIRMATION_FIELDS;
  else
    reader.fail(
      'Type',
      `must be Notification, SubscriptionConfirmation or UnsubscribeConfirmation, got ${preview(type)}`,
    );
  let text = '';
  for (const field of fields) {
    const value = own(envelope, field);
    if (field === 'Subject' && (value === undefined || value === null)) continue;
    text += `${field}\n${reader.string(value, field)}\n`;
  }
  return text;
}

/** SignatureVersion "1" is SHA1withRSA, "2" is SHA256withRSA; anything else cannot be verified. */
export function snsSignatureAlgorithm(envelopeValue: unknown): SnsSignatureAlgorithm {
  const reader: PayloadReader = new PayloadReader('sns');
  const envelope = reader.record(envelopeValue, '');
  const version = own(envelope, 'SignatureVersion');
  if (version === '1') return 'RSA-SHA1';
  if (version === '2') return 'RSA-SHA256';
  if (version === undefined) reader.fail('SignatureVersion', 'is missing');
  reader.fail('SignatureVersion', `must be "1" or "2", got ${preview(version)}`);
}
