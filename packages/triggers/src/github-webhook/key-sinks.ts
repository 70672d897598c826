/**
 * Where the webhook ingress sends keys: straight into the queue (`RECEIVER_URL`), or onto the
 * broker as CloudEvents (`BROKER_TOPIC`) for CloudEvents bridges to pick up. Either way a sink
 * throws when the keys did not all get through, so the delivery is answered 503.
 */
import type { Topic } from '@google-cloud/pubsub';
import { InvalidArgumentError, UnavailableError, type Clock, type EnqueuePort } from '@recon/core';
import type { Logger } from '@recon/observability';
import { forEachLimit } from '../util/for-each-limit.ts';
import { cloudEventMessage } from './cloud-event-message.ts';
import type { EventKey } from './event-keys.ts';
import type { WebhookEvent } from './webhook-request.ts';

export interface KeySink {
  /** `enqueued` or `published`, for logs. */
  readonly kind: string;
  deliver(event: WebhookEvent, keys: readonly EventKey[], signal: AbortSignal): Promise<void>;
}

/** Enqueues each key at `priority` (default 100). A bad key is logged and dropped. */
export function enqueueKeySink(
  port: EnqueuePort,
  options: { priority?: number; logger: Logger; concurrency?: number },
): KeySink {
  const priority = options.priority ?? 100;
  return {
    kind: 'enqueued',
    async deliver(event, keys, signal) {
      const failures = await forEachLimit(keys, options.concurrency ?? 8, async ({ key }) => {
        await port.enqueue({ key, priority }, signal);
      });
      const fatal = failures.filter((f) => !InvalidArgumentError.is(f.error));
      for (const f of failures) {
        if (InvalidArgumentError.is(f.error)) {
          options.logger.warn('key rejected; dropped', {
            key: f.item.key,
            delivery: event.delivery,
            error: f.error,
          });
        }
      }
      if (fatal[0]) {
        throw new UnavailableError(`${fatal.length} of ${keys.length} keys were not enqueued`, {
          cause: fatal[0].error,
        });
      }
    },
  };
}

/** Publishes one CloudEvent per key to the broker topic. */
export function brokerKeySink(topic: Topic, options: { clock: Clock }): KeySink {
  return {
    kind: 'published',
    async deliver(event, keys) {
      await Promise.all(
        keys.map((key, i) =>
          topic.publishMessage(
            cloudEventMessage(event, key, {
              index: keys.length > 1 ? i : undefined,
              now: options.clock.now(),
            }),
          ),
        ),
      );
    },
  };
}
