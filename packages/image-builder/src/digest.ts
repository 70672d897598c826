// Content digests. Everything this package writes is addressed by `sha256:<hex>`.
import { createHash } from 'node:crypto';
import { DigestMismatchError } from './errors.ts';

export type Digest = `sha256:${string}`;

const DIGEST_PATTERN = /^sha256:[a-f0-9]{64}$/;

export function isDigest(value: unknown): value is Digest {
  return typeof value === 'string' && DIGEST_PATTERN.test(value);
}

export function sha256Digest(bytes: Uint8Array): Digest {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** Throws `DigestMismatchError` unless `bytes` hash to `expected`. */
export function verifyDigest(what: string, bytes: Uint8Array, expected: Digest): void {
  const actual = sha256Digest(bytes);
  if (actual !== expected) throw new DigestMismatchError(what, expected, actual);
}
