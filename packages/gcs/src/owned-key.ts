/**
 * A key this instance owns. Every write is fenced to the in-progress generation this owner
 * created: deletes carry `ifGenerationMatch`, lease patches also `ifMetagenerationMatch`, and
 * requeue and dead-letter copy *from* that generation (a copy of a generation that no longer
 * exists answers 404), so a stale owner whose key was restarted elsewhere changes nothing and gets
 * LeaseLostError, and its signal aborts.
 *
 * Lost answers: a 412 on our own generation is checked against the object (same generation and
 * our attempt token: still ours, the metageneration moved under a retried patch of our own); a
 * 404 on our own delete while our lease is still valid means an earlier try of that delete landed,
 * since nobody else may remove a copy whose lease is live.
 */
import { LeaseLostError, newQueuedState, truncateError, validateDelayMs } from '@recon/core';
import type { OwnedKey, RequeueOptions } from '@recon/core';
import type { BackendContext, OwnedHandle } from './context.ts';
import { classifyFailure } from './gcs-errors.ts';
import { putQueued } from './enqueue.ts';
import {
  leasePatch,
  readInProgress,
  toStoredPrecision,
  writeDeadLetter,
  writeQueued,
} from './metadata.ts';
import { deadLetterName, inProgressName, queuedName } from './names.ts';

export interface OwnedKeyInit {
  key: string;
  priority: number;
  attempts: number;
  queuedAt: number;
  firstQueuedAt: number;
  owner: string;
  token: string;
  generation: string;
  metageneration: string;
  leaseExpiresAt: number;
  lastError?: string;
}

type Ownership = 'owned' | 'ended' | 'lost';

export class GcsOwnedKey implements OwnedKey, OwnedHandle {
  readonly key: string;
  readonly priority: number;
  readonly attempts: number;
  readonly queuedAt: number;
  readonly firstQueuedAt: number;
  readonly owner: string;
  readonly generation: string;
  readonly #ctx: BackendContext;
  readonly #token: string;
  readonly #lastError: string | undefined;
  readonly #controller = new AbortController();
  #metageneration: string;
  #leaseExpiresAt: number;
  #ownership: Ownership = 'owned';
  #chain: Promise<unknown> = Promise.resolve();

  constructor(ctx: BackendContext, init: OwnedKeyInit) {
    this.#ctx = ctx;
    this.key = init.key;
    this.priority = init.priority;
    this.attempts = init.attempts;
    this.queuedAt = init.queuedAt;
    this.firstQueuedAt = init.firstQueuedAt;
    this.owner = init.owner;
    this.generation = init.generation;
    this.#token = init.token;
    this.#lastError = init.lastError;
    this.#metageneration = init.metageneration;
    this.#leaseExpiresAt = init.leaseExpiresAt;
  }

  get leaseExpiresAt(): number {
    return this.#leaseExpiresAt;
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get #name(): string {
    return inProgressName(this.key);
  }

  renew(signal?: AbortSignal): Promise<void> {
    return this.#exclusive(async () => {
      const lease = this.#ctx.clock.now() + this.#ctx.workqueue.leaseMs;
      for (let round = 0; ; round++) {
        try {
          const info = await this.#ctx.io.patch(
            this.#name,
            leasePatch(lease),
            {
              ifGenerationMatch: this.generation,
              ifMetagenerationMatch: this.#metageneration,
            },
            signal,
          );
          this.#metageneration = info.metageneration;
          this.#leaseExpiresAt = lease;
          return;
        } catch (err) {
          const kind = classifyFailure(err);
          if (kind === 'precondition' && round < 3 && (await this.#stillOurs(signal))) continue;
          if (kind === 'precondition' || kind === 'not-found') this.#lose(err);
          throw err;
        }
      }
    });
  }

  complete(signal?: AbortSignal): Promise<void> {
    return this.#exclusive(async () => {
      await this.#deleteOwnCopy(signal);
      this.#end();
      if (this.#ctx.deadLetters.has(this.key)) await this.#deleteDeadLetter(signal);
    });
  }

  requeue(options: RequeueOptions, signal?: AbortSignal): Promise<void> {
    return this.#exclusive(async () => {
      const delayMs = validateDelayMs(options.delayMs, 'delayMs');
      const now = this.#ctx.clock.now();
      const notBefore = delayMs > 0 ? now + delayMs : 0;
      const attempts =
        options.attempts === 'reset'
          ? 0
          : options.attempts === 'uncount'
            ? Math.max(0, this.attempts - 1)
            : this.attempts;
      const lastError =
        options.lastError ?? (options.attempts === 'reset' ? undefined : this.#lastError);
      const incoming = toStoredPrecision({
        priority: this.priority,
        notBefore,
        floor: options.floor === true && notBefore > 0,
        attempts,
        firstQueuedAt: this.firstQueuedAt,
        lastAttemptedAt: now,
        ...(lastError === undefined ? {} : { lastError }),
      });
      try {
        await putQueued(this.#ctx, this.key, incoming, {
          signal,
          // Copying from our generation is the fence: gone or replaced answers 404.
          create: (token) =>
            this.#ctx.io.copy(
              { name: this.#name, generation: this.generation },
              queuedName(this.key),
              writeQueued(newQueuedState(incoming, now), token),
              { ifGenerationMatch: 0 },
              signal,
            ),
          beforeMerge: async () => {
            if (!(await this.#stillOurs(signal))) this.#lose();
          },
        });
      } catch (err) {
        if (classifyFailure(err) === 'not-found') this.#lose(err);
        throw err;
      }
      await this.#deleteOwnCopy(signal);
      this.#end();
    });
  }

  deadLetter(lastError: string, signal?: AbortSignal): Promise<void> {
    return this.#exclusive(async () => {
      const now = this.#ctx.clock.now();
      const metadata = writeDeadLetter({
        priority: this.priority,
        attempts: this.attempts,
        firstQueuedAt: this.firstQueuedAt,
        failedAt: now,
        lastError: truncateError(lastError),
        lastAttemptedAt: now,
      });
      try {
        // Overwrites an older dead-letter copy; copying from our generation is the fence.
        await this.#ctx.io.copy(
          { name: this.#name, generation: this.generation },
          deadLetterName(this.key),
          metadata,
          {},
          signal,
        );
      } catch (err) {
        if (classifyFailure(err) === 'not-found') this.#lose(err);
        throw err;
      }
      this.#ctx.deadLetters.add(this.key);
      await this.#deleteOwnCopy(signal);
      this.#end();
    });
  }

  /** The orphan sweep requeued this copy: we no longer own it. */
  markLost(): void {
    if (this.#ownership !== 'owned') return;
    this.#ownership = 'lost';
    this.#release();
    this.#controller.abort(new LeaseLostError(this.key));
  }

  /** Runs `op` after the previous one, and only while the key is owned. */
  #exclusive(op: () => Promise<void>): Promise<void> {
    const run = this.#chain.then(() => {
      if (this.#ownership !== 'owned') throw new LeaseLostError(this.key);
      return op();
    });
    this.#chain = run.catch(() => undefined);
    return run;
  }

  /** Deletes our in-progress copy, pinned to our generation. */
  async #deleteOwnCopy(signal?: AbortSignal): Promise<void> {
    try {
      await this.#ctx.io.delete(this.#name, { ifGenerationMatch: this.generation }, signal);
    } catch (err) {
      const kind = classifyFailure(err);
      if (kind === 'not-found' && this.#ctx.clock.now() < this.#leaseExpiresAt) return; // ours landed
      if (kind === 'not-found' || kind === 'precondition') this.#lose(err);
      throw err;
    }
  }

  async #deleteDeadLetter(signal?: AbortSignal): Promise<void> {
    try {
      await this.#ctx.io.delete(deadLetterName(this.key), {}, signal);
    } catch (err) {
      // Already gone is what we wanted; otherwise keep it indexed so a later complete tries again.
      if (classifyFailure(err) !== 'not-found') return;
    }
    this.#ctx.deadLetters.delete(this.key);
  }

  /** Our generation is still the in-progress copy; adopts its current metageneration. */
  async #stillOurs(signal?: AbortSignal): Promise<boolean> {
    const info = await this.#ctx.io.get(this.#name, signal);
    if (!info || info.generation !== this.generation) return false;
    const token = readInProgress(info.metadata, info.timeCreated).token;
    if (token !== undefined && token !== this.#token) return false;
    this.#metageneration = info.metageneration;
    return true;
  }

  #end(): void {
    this.#ownership = 'ended';
    this.#release();
    this.#controller.abort();
  }

  #lose(cause?: unknown): never {
    const error = new LeaseLostError(this.key, cause === undefined ? undefined : { cause });
    if (this.#ownership === 'owned') {
      this.#ownership = 'lost';
      this.#release();
      this.#controller.abort(error);
    }
    throw error;
  }

  #release(): void {
    this.#ctx.inProgress.removeMine(this.key, this.generation);
    if (this.#ctx.owned.get(this.key) === this) this.#ctx.owned.delete(this.key);
  }
}
