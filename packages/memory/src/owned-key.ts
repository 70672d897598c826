import type { OwnedKey, RequeueOptions } from '@recon/core';
import { ownerSignal } from './in-progress.ts';
import type { InProgressEntry } from './in-progress.ts';

/** What an owned key asks of its backend; every call is fenced to `entry`. */
export interface OwnerOperations {
  renew(entry: InProgressEntry, signal?: AbortSignal): void;
  complete(entry: InProgressEntry, signal?: AbortSignal): void;
  requeue(entry: InProgressEntry, options: RequeueOptions, signal?: AbortSignal): void;
  deadLetter(entry: InProgressEntry, lastError: string, signal?: AbortSignal): void;
}

/**
 * A key one owner holds on the memory backend. It keeps the in-progress copy its `start` created
 * and hands it back with every write, so a write after the copy was swept and restarted elsewhere
 * is refused with LeaseLostError and changes nothing.
 */
export class MemoryOwnedKey implements OwnedKey {
  readonly key: string;
  readonly priority: number;
  readonly attempts: number;
  readonly queuedAt: number;
  readonly firstQueuedAt: number;
  readonly owner: string;
  readonly #entry: InProgressEntry;
  readonly #operations: OwnerOperations;

  constructor(entry: InProgressEntry, operations: OwnerOperations) {
    this.key = entry.key;
    this.priority = entry.priority;
    this.attempts = entry.attempts;
    this.queuedAt = entry.queuedAt;
    this.firstQueuedAt = entry.firstQueuedAt;
    this.owner = entry.owner;
    this.#entry = entry;
    this.#operations = operations;
  }

  get leaseExpiresAt(): number {
    return this.#entry.leaseExpiresAt;
  }

  get signal(): AbortSignal {
    return ownerSignal(this.#entry);
  }

  async renew(signal?: AbortSignal): Promise<void> {
    this.#operations.renew(this.#entry, signal);
  }

  async complete(signal?: AbortSignal): Promise<void> {
    this.#operations.complete(this.#entry, signal);
  }

  async requeue(options: RequeueOptions, signal?: AbortSignal): Promise<void> {
    this.#operations.requeue(this.#entry, options, signal);
  }

  async deadLetter(lastError: string, signal?: AbortSignal): Promise<void> {
    this.#operations.deadLetter(this.#entry, lastError, signal);
  }
}
