/**
 * The receiver's counters, named and counted as in the Go workqueue so its dashboards keep
 * working: `workqueue_added_keys` counts every accepted enqueue ("the total number of queue
 * requests"), `workqueue_deduped_keys` those merged into a key already queued. New keys are
 * added − deduped.
 */
import { counterNames } from '@recon/observability';
import { Counter, type Registry } from 'prom-client';
import type { EnqueueResult } from '@recon/core';

export interface ReceiverMetrics {
  recordEnqueue(result: EnqueueResult): void;
}

export function createReceiverMetrics(registry: Registry): ReceiverMetrics {
  const added = counter(registry, counterNames.addedKeys, 'The total number of queue requests.');
  const deduped = counter(
    registry,
    counterNames.dedupedKeys,
    'The total number of keys that were deduped.',
  );
  return {
    recordEnqueue(result) {
      added.inc();
      if (result === 'deduped') deduped.inc();
    },
  };
}

/** Reuses a counter already on the registry (a dispatcher in the same process may own it). */
function counter(registry: Registry, name: string, help: string): Counter {
  const existing = registry.getSingleMetric(name);
  if (existing instanceof Counter) return existing;
  return new Counter({ name, help, registers: [registry] });
}
