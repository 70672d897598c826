/**
 * The embedded controller: the device and group reconcilers registered per kind over one resource
 * store, plus the event sources that feed it keys.
 *
 * - **resource changes**: every spec change and delete in the store enqueues `kind/uid`;
 * - **CloudEvents**: the fleet's `io.example.device.*` events go on the controller's in-process
 *   bus; a watch maps each to `device/<subject>`;
 * - **resync**: every device and group, every `resyncMs`: catches changes nobody announced.
 *
 * Each source only enqueues keys; the reconcilers read current state (level-based).
 */
import type { Clock } from '@recon/core';
import {
  Controller,
  type ControllerOptions,
  type Logger,
  MemoryResourceStore,
  type ReconEvent,
  resourceKey,
  type ResourceStore,
} from '@recon/sdk';
import { reconcileDevice } from './device-reconciler.ts';
import type { SimulatedFleet } from './fleet.ts';
import { reconcileGroup } from './group-reconciler.ts';
import { deviceKind, groupKind } from './types.ts';

export interface DevicesControllerOptions {
  fleet: SimulatedFleet;
  /** Default: a new MemoryResourceStore. */
  store?: ResourceStore;
  /** Default systemClock. */
  clock?: Clock;
  /** Default: JSON lines on stdout. */
  logger?: Logger;
  /** Resync period of every device and group. Default 1 min. */
  resyncMs?: number;
  /** Polling while firmware installs. Default 1 s. */
  pollMs?: number;
  /** Reconciles in flight at once. Default 4. */
  concurrency?: number;
  /** Retries: default 1 s doubling to 30 s, 8 attempts, then the dead-letter queue. */
  retry?: ControllerOptions['retry'];
}

export interface DevicesController {
  readonly controller: Controller;
  readonly store: ResourceStore;
  readonly fleet: SimulatedFleet;
  start(): Promise<void>;
  /** Stops the sources and the controller; keys in flight go back to the queue. */
  close(): Promise<void>;
}

/** The pattern of the fleet's events the controller watches. */
export const deviceEventPattern = 'io.example.device.*';

export function createDevicesController(options: DevicesControllerOptions): DevicesController {
  const { fleet } = options;
  const store = options.store ?? new MemoryResourceStore();
  const pollMs = options.pollMs ?? 1000;
  const controller = new Controller({
    reconcilers: {
      [deviceKind]: reconcileDevice({ store, fleet, pollMs }),
      [groupKind]: reconcileGroup({ store }),
    },
    resources: store,
    concurrency: options.concurrency ?? 4,
    retry: options.retry ?? { baseMs: 1000, capMs: 30_000, maxAttempts: 8 },
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });

  const stops = [
    controller.watch(deviceEventPattern, deviceKeyOf),
    controller.resync(async () => {
      const all = [...(await store.list(groupKind)), ...(await store.list(deviceKind))];
      return all.map(resourceKey);
    }, options.resyncMs ?? 60_000),
    fleet.onEvent((event) => controller.events.publish(event)),
  ];

  return {
    controller,
    store,
    fleet,
    start: () => controller.start(),
    async close() {
      for (const stop of stops.splice(0)) stop();
      await controller.close();
    },
  };
}

/** A device event's key: `device/<subject>`; none for an event without a subject. */
export function deviceKeyOf(event: ReconEvent): string | undefined {
  return typeof event.subject === 'string' && event.subject !== ''
    ? resourceKey({ kind: deviceKind, uid: event.subject })
    : undefined;
}
