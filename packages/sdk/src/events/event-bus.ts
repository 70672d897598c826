/**
 * An in-process CloudEvents bus: `publish(event)` delivers to every subscription whose pattern
 * matches the event's `type`. Delivery is awaited; handler failures are collected and reported
 * together after every handler ran (one bad subscriber never starves the others).
 */
import { InvalidArgumentError } from '@recon/core';
import type { ReconEvent } from '../context.ts';
import { compilePattern, type TypeMatcher } from './pattern.ts';

export type EventHandler = (event: ReconEvent) => void | Promise<void>;

interface Subscription {
  matches: TypeMatcher;
  handler: EventHandler;
}

export class EventBus {
  readonly #subscriptions = new Set<Subscription>();

  /** Subscribes `handler` to event types matching `pattern`; returns an unsubscribe function. */
  subscribe(pattern: string, handler: EventHandler): () => void {
    const sub: Subscription = { matches: compilePattern(pattern), handler };
    this.#subscriptions.add(sub);
    return () => {
      this.#subscriptions.delete(sub);
    };
  }

  /**
   * Delivers `event` to every matching subscriber. Resolves with the number of deliveries;
   * rejects with an AggregateError of the handlers' failures, if any.
   */
  async publish(event: ReconEvent): Promise<number> {
    validateEvent(event);
    const targets = [...this.#subscriptions].filter((s) => s.matches(event.type));
    const results = await Promise.allSettled(targets.map(async (s) => s.handler(event)));
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    if (failures.length > 0) {
      throw new AggregateError(
        failures,
        `${failures.length} of ${targets.length} subscriber(s) failed for ${event.type}`,
      );
    }
    return targets.length;
  }

  get size(): number {
    return this.#subscriptions.size;
  }
}

function validateEvent(event: ReconEvent): void {
  for (const field of ['id', 'source', 'type'] as const) {
    const v: unknown = event?.[field];
    if (typeof v !== 'string' || v === '')
      throw new InvalidArgumentError(`event.${field}`, 'must be a non-empty string');
  }
}
