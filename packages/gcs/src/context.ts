import type { Clock, WorkqueueOptions } from '@recon/core';
import type { BucketIO } from './bucket-io.ts';
import type { DeadLetterIndex } from './dead-letter-index.ts';
import type { InProgressCache } from './in-progress-cache.ts';
import type { QueuedSnapshot } from './queued-snapshot.ts';

/** A key this instance owns, as the orphan sweep needs to see it. */
export interface OwnedHandle {
  readonly generation: string;
  /** The copy was requeued as an orphan: ownership is gone. */
  markLost(): void;
}

/** What the operations of one backend instance share. */
export interface BackendContext {
  io: BucketIO;
  /** The queue clock: leases, notBefore, failure times. May be fake in tests. */
  clock: Clock;
  workqueue: WorkqueueOptions;
  snapshot: QueuedSnapshot;
  inProgress: InProgressCache;
  deadLetters: DeadLetterIndex;
  /** Keys this instance owns right now. */
  owned: Map<string, OwnedHandle>;
  /** A fresh attempt token. */
  newToken(): string;
}
