/**
 * `WorkqueueClient`: put keys on a workqueue from application code (a webhook handler, a CLI, a
 * batch job) through its receiver, the same gRPC service the Go workqueue's receiver speaks.
 *
 * ```ts
 * const queue = new WorkqueueClient('https://receiver-abc.a.run.app');
 * await queue.enqueue('tenant-a/db-3', { priority: 10, delay: '30s' });
 * ```
 *
 * - `https://` targets get a Google ID token (audience = the URL) from the ambient credentials;
 *   `http://` targets are plain h2c (local, tests).
 * - UNAVAILABLE is retried with jittered backoff (enqueue and key lookups are idempotent);
 *   other failures reject with branded errors (InvalidArgumentError naming the field, ...).
 * - Bad input is refused locally, before any call, naming the field.
 */
import {
  type Clock,
  InvalidArgumentError,
  KeyStatus,
  NotFoundError,
  backoffDelayMs,
  systemClock,
  validateKey,
  validatePriority,
} from '@recon/core';
import {
  createWorkqueueClient,
  fromGrpcError,
  isRetriableStatus,
  KeyState_Status,
  type CallOptions,
  type WorkqueueClientOptions as ProtoClientOptions,
  type WorkqueueClient as ProtoClient,
} from '@recon/proto';
import { type Delay, delayToMs } from './delay.ts';
import { mapBounded } from './client/map-bounded.ts';

export type WorkqueueClientOptions = ProtoClientOptions;

export interface ClientEnqueueOptions {
  /** Higher first (signed 32-bit). Default 0. */
  priority?: number;
  /** Not before this long from now (ms or `'5m'`); sent in whole seconds, rounded up. Default 0. */
  delay?: Delay;
  signal?: AbortSignal;
  /** Abandon each call at this time (Unix ms or Date). */
  deadline?: number | Date;
}

export type EnqueueItem = string | { key: string; priority?: number; delay?: Delay };

export interface EnqueueManyOptions {
  /** Calls in flight at once. Default 8. */
  concurrency?: number;
  signal?: AbortSignal;
}

export interface EnqueueManyResult {
  enqueued: number;
  /** Items that failed after retries, with the error each got. Nothing is dropped silently. */
  failed: { key: string; error: unknown }[];
}

/** What the receiver reports about a key. Times are Unix ms (the wire carries seconds). */
export interface RemoteKeyState {
  key: string;
  status: KeyStatus;
  priority: number;
  attempts: number;
  queuedAt: number;
  /** 0 = no constraint. */
  notBefore: number;
}

export class WorkqueueClient {
  readonly target: string;
  readonly #client: ProtoClient;
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #attempts: number;
  readonly #backoff: { baseMs: number; capMs: number };

  constructor(target: string, options: WorkqueueClientOptions = {}) {
    this.target = target;
    this.#client = createWorkqueueClient(target, options);
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? Math.random;
    this.#attempts = Math.max(1, options.enqueueAttempts ?? 5);
    this.#backoff = { baseMs: options.retryBaseMs ?? 100, capMs: options.retryCapMs ?? 2000 };
  }

  /** Enqueues one key (merged with a queued copy, as every enqueue is). */
  async enqueue(key: string, options: ClientEnqueueOptions = {}): Promise<void> {
    const request = toRequest({ key, priority: options.priority, delay: options.delay });
    await this.#client.enqueue(request, callOptions(options));
  }

  /** Enqueues many keys with at most `concurrency` calls in flight; reports every failure. */
  async enqueueMany(
    items: Iterable<EnqueueItem>,
    options: EnqueueManyOptions = {},
  ): Promise<EnqueueManyResult> {
    const concurrency = options.concurrency ?? 8;
    if (!(Number.isInteger(concurrency) && concurrency > 0)) {
      throw new InvalidArgumentError('concurrency', `must be an integer > 0, got ${concurrency}`);
    }
    const requests = [...items].map((item, i) =>
      toRequest(typeof item === 'string' ? { key: item } : item, `items[${i}]`),
    );
    const result: EnqueueManyResult = { enqueued: 0, failed: [] };
    await mapBounded(requests, concurrency, async (request) => {
      try {
        await this.#client.enqueue(request, callOptions(options));
        result.enqueued++;
      } catch (error) {
        result.failed.push({ key: request.key, error });
      }
    });
    return result;
  }

  /** The key's state, or undefined when the queue does not know it. */
  async getKeyState(
    key: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<RemoteKeyState | undefined> {
    validateKey(key);
    for (let attempt = 1; ; attempt++) {
      try {
        const state = await this.#client.getKeyState({ key }, callOptions(options));
        return {
          key: state.key,
          status: statusOf(state.status),
          priority: state.priority,
          attempts: state.attempts,
          queuedAt: state.queuedTime * 1000,
          notBefore: state.notBeforeTime * 1000,
        };
      } catch (err) {
        if (attempt < this.#attempts && isRetriableStatus(err) && !options.signal?.aborted) {
          await this.#clock.sleep(
            backoffDelayMs(attempt, this.#backoff, this.#random),
            options.signal,
          );
          continue;
        }
        const mapped = fromGrpcError(err);
        if (NotFoundError.is(mapped)) return undefined;
        throw mapped;
      }
    }
  }

  close(): void {
    this.#client.close();
  }
}

function toRequest(item: { key: string; priority?: number; delay?: Delay }, field = '') {
  const at = (name: string) => (field ? `${field}.${name}` : name);
  const delayMs = item.delay === undefined ? 0 : delayToMs(item.delay, at('delay'));
  return {
    key: validateKey(item.key, at('key')),
    priority: validatePriority(item.priority ?? 0, at('priority')),
    delaySeconds: Math.ceil(delayMs / 1000),
  };
}

function callOptions(options: { signal?: AbortSignal; deadline?: number | Date }): CallOptions {
  const call: CallOptions = {};
  if (options.signal) call.signal = options.signal;
  if (options.deadline !== undefined) call.deadline = options.deadline;
  return call;
}

function statusOf(status: number): KeyStatus {
  switch (status) {
    case KeyState_Status.QUEUED:
      return KeyStatus.QUEUED;
    case KeyState_Status.IN_PROGRESS:
      return KeyStatus.IN_PROGRESS;
    case KeyState_Status.DEAD_LETTER:
      return KeyStatus.DEAD_LETTER;
    default:
      throw new InvalidArgumentError('status', `the receiver sent an unknown key status ${status}`);
  }
}
