import type { EnqueueRequest } from './ports.ts';
import { validateDelayMs, validateKey, validatePriority } from './validation.ts';

export interface ValidEnqueue {
  key: string;
  priority: number;
  delayMs: number;
  floor: boolean;
}

/** Validates every field of an enqueue (naming the first bad one) and fills defaults. */
export function validateEnqueue(request: EnqueueRequest): ValidEnqueue {
  return {
    key: validateKey(request.key),
    priority: validatePriority(request.priority ?? 0),
    delayMs: validateDelayMs(request.delayMs ?? 0),
    floor: request.floor === true,
  };
}
