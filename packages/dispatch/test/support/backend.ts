import type { Clock, WorkqueueBackend, WorkqueueOptions } from '@recon/core';
import { MemoryBackend } from '@recon/workqueue-memory';

/** The backend every dispatch test runs on: the real in-memory backend. */
export function createBackend(
  clock: Clock,
  workqueue: Partial<WorkqueueOptions>,
): WorkqueueBackend {
  return new MemoryBackend({ clock, workqueue });
}
