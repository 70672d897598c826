// Entry points: `recon serve cloudevents-bridge | github-webhook | github-push | resync`.
export { serveCloudEventsBridgeFromEnv } from './cloudevents-bridge/serve.ts';
export { serveGithubWebhookFromEnv } from './github-webhook/serve.ts';
export { serveGithubPushFromEnv } from './path/serve-push.ts';
export { runResyncFromEnv, type ResyncDeps } from './path/run-resync.ts';
export type { TriggerService, TriggerServiceDeps } from './util/trigger-service.ts';

// The queue over gRPC.
export * from './receiver-port.ts';

// CloudEvents bridge.
export * from './cloudevents-bridge/bridge.ts';
export * from './cloudevents-bridge/config.ts';
export * from './cloudevents-bridge/decode-event.ts';
export * from './cloudevents-bridge/filters.ts';
export * from './cloudevents-bridge/metrics.ts';
export * from './cloudevents-bridge/push-endpoint.ts';
export * from './cloudevents-bridge/pull-subscriber.ts';

// GitHub webhooks.
export * from './github-webhook/cloud-event-message.ts';
export * from './github-webhook/config.ts';
export * from './github-webhook/delivery-dedup.ts';
export * from './github-webhook/event-keys.ts';
export * from './github-webhook/ingress.ts';
export * from './github-webhook/key-sinks.ts';
export * from './github-webhook/metrics.ts';
export * from './github-webhook/signature.ts';
export * from './github-webhook/webhook-request.ts';

// Path reconciler triggers.
export * from './path/config.ts';
export * from './path/key-source.ts';
export * from './path/patterns.ts';
export * from './path/push-keys.ts';
export * from './path/push-listener.ts';

// Resync.
export * from './resync/loop.ts';
export * from './resync/sharder.ts';
export * from './resync/slot.ts';
