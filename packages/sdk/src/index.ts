// Authoring: results, errors, the context, the one outcome mapping
export * from './errors.ts';
export * from './delay.ts';
export * from './outcomes.ts';
export * from './to-outcome.ts';
export * from './reconciler.ts';
export * from './context.ts';
export * from './logger.ts';
export * from './limits/action-limiter.ts';
export * from './limits/token-bucket.ts';

// Runtime 1: served over gRPC
export * from './serve.ts';
export type { CallOutcomeLabel } from './served/metrics.ts';

// Runtime 2: the embedded controller and its event sources
export * from './controller/controller.ts';
export type * from './controller/options.ts';
export type { KeysFrom } from './controller/keys.ts';
export * from './controller/retry-policy.ts';
export * from './events/event-bus.ts';
export * from './events/pattern.ts';
export * from './leader/leader-lease.ts';
export * from './leader/gcs-leader-lease.ts';
export * from './sources/desired-state.ts';
export * from './sources/pubsub-message-source.ts';

// Declarative resources
export * from './resources/resource-store.ts';
export * from './resources/memory-resource-store.ts';
export * from './resources/gcs-resource-store.ts';
export * from './resources/conditions.ts';

// Client
export * from './client.ts';
