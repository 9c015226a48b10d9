import { createHmac, randomBytes } from 'node:crypto';

/** Standard Webhooks v1 symmetric secrets are shown base64 with this prefix. */
export const SECRET_PREFIX = 'whsec_';

/** 32 random bytes: inside the spec's 24–64, the HMAC-SHA256 block-friendly size Svix uses too. */
const SECRET_BYTES = 32;

export function newSecret(bytes: Buffer = randomBytes(SECRET_BYTES)): string {
  return `${SECRET_PREFIX}${bytes.toString('base64')}`;
}

function secretKey(secret: string): Buffer {
  if (!secret.startsWith(SECRET_PREFIX)) throw new Error('webhook secrets start with whsec_');
  const key = Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
  if (key.length < 24 || key.length > 64) throw new Error('webhook secrets hold 24 to 64 bytes');
  return key;
}

/** `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, the signature of one secret. */
export function signature(secret: string, id: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', secretKey(secret))
    .update(`${id}.${timestampSeconds}.${body}`)
    .digest('base64');
  return `v1,${mac}`;
}

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/**
 * The Standard Webhooks headers of one attempt. While a rotated secret is still honoured, the body is signed
 * with every secret given (space-separated), so a receiver holding either one verifies it.
 */
export function signedHeaders(
  secrets: readonly string[],
  id: string,
  timestampSeconds: number,
  body: string,
): SignedHeaders {
  if (secrets.length === 0) throw new Error('a webhook needs a secret to sign with');
  if (id.includes('.')) throw new Error('webhook ids must not contain a full stop');
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': secrets.map((secret) => signature(secret, id, timestampSeconds, body)).join(' '),
  };
}
