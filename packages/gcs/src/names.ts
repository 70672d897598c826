import { KeyStatus } from '@recon/core';

/**
 * Object names. The key is appended raw to its state's prefix: GCS names are flat, so `..`, a
 * leading `/` or `%2F` are plain bytes of the name and can never leave the prefix. The same names
 * as the Go workqueue, so both can share a bucket.
 */
export const Prefix = {
  queued: 'queued/',
  inProgress: 'in-progress/',
  deadLetter: 'dead-letter/',
} as const;
export type Prefix = (typeof Prefix)[keyof typeof Prefix];

export const queuedName = (key: string): string => Prefix.queued + key;
export const inProgressName = (key: string): string => Prefix.inProgress + key;
export const deadLetterName = (key: string): string => Prefix.deadLetter + key;

/** The key an object name holds under `prefix`, or undefined when the name is not under it. */
export function keyOf(name: string, prefix: Prefix): string | undefined {
  return name.startsWith(prefix) && name.length > prefix.length
    ? name.slice(prefix.length)
    : undefined;
}

/** The prefix that holds copies of keys in `status`. */
export function prefixOf(status: KeyStatus): Prefix {
  switch (status) {
    case KeyStatus.QUEUED:
      return Prefix.queued;
    case KeyStatus.IN_PROGRESS:
      return Prefix.inProgress;
    case KeyStatus.DEAD_LETTER:
      return Prefix.deadLetter;
  }
}
