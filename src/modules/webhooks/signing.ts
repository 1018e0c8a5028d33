// Signing deliveries as the Standard Webhooks specification says (decision 0017): webhook-id, webhook-timestamp
// (Unix seconds) and webhook-signature, a space-separated list of `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`,
// one for each secret that currently signs (two for 24 hours after a rotation). The HMAC is the spec's reference
// library's (standardwebhooks), so a receiver using any Standard Webhooks library verifies it as it is.
import { randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { Webhook } from 'standardwebhooks';
import type { WebhookSecret } from './schema.ts';

const SECRET_BYTES = 32;

/** A new secret: whsec_ and the base64 of 32 random bytes (the spec allows 24 to 64). */
export function newSecret(at: Date): WebhookSecret {
  return { id: uuidv7(), secret: `whsec_${randomBytes(SECRET_BYTES).toString('base64')}`, createdAt: at.toISOString(), expiresAt: null };
}

/** The secrets that sign at `at`: the newest, and an older one until it expires. */
export const signingSecrets = (secrets: readonly WebhookSecret[], at: Date) =>
  secrets.filter((s) => !s.expiresAt || new Date(s.expiresAt).getTime() > at.getTime());

/** The three headers of one delivery attempt. */
export function signatureHeaders(id: string, at: Date, body: string, secrets: readonly WebhookSecret[]) {
  const signing = signingSecrets(secrets, at);
  if (!signing.length) throw new Error('the endpoint has no secret to sign with');
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': signing.map((s) => new Webhook(s.secret).sign(id, at, body)).join(' '),
  };
}
