export type * from './types.ts';
export { createDispatchLoop } from './loop.ts';
export { dispatchDefaults, resolveDispatchOptions } from './options.ts';
export type { ResolvedDispatchOptions } from './options.ts';
export { DeadlineExceededError, ShuttingDownError } from './errors.ts';
export { faultyQueue } from './faulty-queue.ts';
export type {
  FailOptions,
  FaultDecision,
  FaultPlan,
  FaultyQueue,
  QueueOperation,
} from './faulty-queue.ts';
