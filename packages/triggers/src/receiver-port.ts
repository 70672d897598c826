/**
 * An EnqueuePort that reaches the queue over gRPC through the receiver (`RECEIVER_URL`:
 * `http://host:port` h2c, or `https://…` on Cloud Run with an ID token), built on
 * `@recon/proto`'s `createWorkqueueClient`.
 *
 * Failures come back as branded errors, so callers decide by brand:
 * - InvalidArgumentError: the key (or priority) is bad, locally or per the receiver: drop it;
 * - anything else (UnavailableError after the client's bounded retries, other gRPC codes, a
 *   deadline): NOT enqueued; the caller must let its source redeliver (nack, 5xx, exit 1).
 */
import {
  NotFoundError,
  systemClock,
  validateEnqueue,
  type Clock,
  type EnqueuePort,
  type EnqueueRequest,
  type EnqueueResult,
  type KeyStateView,
  type KeyStatus,
} from '@recon/core';
import {
  createWorkqueueClient,
  fromGrpcError,
  KeyState_Status,
  type KeyState,
  type WorkqueueClientOptions,
} from '@recon/proto';

export interface ReceiverEnqueuePortOptions extends WorkqueueClientOptions {
  /** Each call gives up after this long (ms). Default 30 s. */
  callTimeoutMs?: number;
}

export interface ReceiverEnqueuePort extends EnqueuePort {
  /** Closes the gRPC channel. */
  close(): void;
}

const statusNames: Partial<Record<number, KeyStatus>> = {
  [KeyState_Status.QUEUED]: 'QUEUED',
  [KeyState_Status.IN_PROGRESS]: 'IN_PROGRESS',
  [KeyState_Status.DEAD_LETTER]: 'DEAD_LETTER',
};

export function receiverEnqueuePort(
  url: string,
  options: ReceiverEnqueuePortOptions = {},
): ReceiverEnqueuePort {
  const client = createWorkqueueClient(url, options);
  const clock: Clock = options.clock ?? systemClock;
  const timeoutMs = options.callTimeoutMs ?? 30_000;
  const callOptions = (signal?: AbortSignal) => ({
    deadline: clock.now() + timeoutMs,
    ...(signal ? { signal } : {}),
  });
  return {
    async enqueue(request: EnqueueRequest, signal?: AbortSignal): Promise<EnqueueResult> {
      const valid = validateEnqueue(request);
      // The wire carries whole seconds; round up so a key is never eligible early.
      await client.enqueue(
        {
          key: valid.key,
          priority: valid.priority,
          delaySeconds: Math.ceil(valid.delayMs / 1000),
        },
        callOptions(signal),
      );
      // The receiver does not say whether the key merged into a queued copy.
      return 'added';
    },
    async getKeyState(key: string, signal?: AbortSignal): Promise<KeyStateView | undefined> {
      let state: KeyState;
      try {
        state = await client.getKeyState({ key }, callOptions(signal));
      } catch (err) {
        const mapped = fromGrpcError(err);
        if (NotFoundError.is(mapped)) return undefined;
        throw mapped;
      }
      const status = statusNames[state.status];
      if (!status) return undefined;
      return {
        key: state.key,
        status,
        priority: state.priority,
        attempts: state.attempts,
        queuedAt: state.queuedTime * 1000,
        notBefore: state.notBeforeTime * 1000,
        floor: false,
      };
    },
    close: () => client.close(),
  };
}
