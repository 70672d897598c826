/**
 * `GetKeyState` on the receiver: where a key is (in progress wins over queued, then dead
 * letter), or NOT_FOUND. Times go out in Unix seconds, as the Go receiver sends them.
 */
import {
  NotFoundError,
  validateKey,
  type EnqueuePort,
  type KeyStateView,
  type KeyStatus,
} from '@recon/core';
import type { Logger } from '@recon/observability';
import {
  KeyState_Status,
  type Checked,
  type GetKeyStateRequest,
  type KeyState,
  type UnaryContext,
} from '@recon/proto';

export interface KeyStateHandlerDeps {
  queue: EnqueuePort;
  logger: Logger;
}

export function createKeyStateHandler(deps: KeyStateHandlerDeps) {
  return async (request: Checked<GetKeyStateRequest>, context: UnaryContext): Promise<KeyState> => {
    if (!request.ok) throw request.error;
    const key = validateKey(request.message.key, 'key');
    let view: KeyStateView | undefined;
    try {
      view = await deps.queue.getKeyState(key, context.signal);
    } catch (err) {
      deps.logger.warn('key state lookup failed', { key, error: err });
      throw err;
    }
    if (!view)
      throw new NotFoundError(
        `key ${JSON.stringify(key)} is not queued, in progress or dead-lettered`,
      );
    return toWireKeyState(view);
  };
}

const wireStatus: Record<KeyStatus, KeyState_Status> = {
  QUEUED: KeyState_Status.QUEUED,
  IN_PROGRESS: KeyState_Status.IN_PROGRESS,
  DEAD_LETTER: KeyState_Status.DEAD_LETTER,
};

export function toWireKeyState(view: KeyStateView): KeyState {
  return {
    key: view.key,
    status: wireStatus[view.status],
    priority: view.priority,
    attempts: view.attempts,
    queuedTime: Math.floor(view.queuedAt / 1000),
    notBeforeTime: view.notBefore > 0 ? Math.floor(view.notBefore / 1000) : 0,
  };
}
