import type { Action } from '@recon/core';
import type { Logger } from '@recon/observability';

/** What one failed attempt reports to WORKQUEUE_ERROR_SINK. */
export interface ErrorEventData {
  key: string;
  error: string;
  attempts: number;
  action: 'requeued' | 'dead_lettered' | 'dropped';
  nonRetriableReason?: string;
  occurAt: string;
  reconcilerName: string;
}

export interface ErrorEventSink {
  send(data: ErrorEventData): void;
  /** Resolves once every event sent so far was delivered or given up on (before exiting). */
  flush?(): Promise<void>;
}

/** Which actions are failures worth an event, and how they are named in it. */
export function errorEventAction(action: Action): ErrorEventData['action'] | undefined {
  if (action.kind === 'dead-letter') return 'dead_lettered';
  if (action.kind === 'complete' && action.label === 'dropped') return 'dropped';
  if (action.kind === 'requeue' && action.label === 'retried') return 'requeued';
  return undefined;
}

/**
 * Posts `dev.chainguard.workqueue.error.v1` CloudEvents (structured JSON mode) to a sink,
 * fire-and-forget: a slow or broken sink never holds up dispatching.
 */
export function httpErrorEventSink(options: {
  url: string;
  source: string;
  logger: Logger;
  fetch?: typeof fetch;
}): ErrorEventSink {
  const post = options.fetch ?? fetch;
  const inFlight = new Set<Promise<void>>();
  return {
    async flush() {
      await Promise.all([...inFlight]);
    },
    send(data) {
      const event = {
        specversion: '1.0',
        id: crypto.randomUUID(),
        type: 'dev.chainguard.workqueue.error.v1',
        source: options.source,
        subject: data.key,
        time: data.occurAt,
        datacontenttype: 'application/json',
        data,
      };
      const delivery = post(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/cloudevents+json; charset=utf-8' },
        body: JSON.stringify(event),
        signal: AbortSignal.timeout(10_000),
      })
        .then((res) => {
          void res.body?.cancel();
          if (!res.ok)
            options.logger.warn('error event rejected by sink', {
              status: res.status,
              key: data.key,
            });
        })
        .catch((err: unknown) =>
          options.logger.warn('error event not delivered', { key: data.key, error: String(err) }),
        )
        .finally(() => inFlight.delete(delivery));
      inFlight.add(delivery);
    },
  };
}
