/**
 * GitHub's webhook signature: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`,
 * keyed with the webhook secret. Compared in constant time, after a length check (timingSafeEqual
 * throws on unequal lengths, and the length of a well-formed signature is public anyway).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const prefix = 'sha256=';

export function signGithubPayload(secret: string, body: Buffer | string): string {
  return prefix + createHmac('sha256', secret).update(body).digest('hex');
}

/** True only when `header` is the signature of exactly these bytes under `secret`. */
export function verifyGithubSignature(
  secret: string,
  body: Buffer,
  header: string | string[] | undefined,
): boolean {
  if (typeof header !== 'string' || !header.startsWith(prefix)) return false;
  const given = Buffer.from(header.slice(prefix.length).toLowerCase(), 'utf8');
  const expected = Buffer.from(signGithubPayload(secret, body).slice(prefix.length), 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
