/**
 * The bridge's pull mode, for local use against the Pub/Sub emulator (or anywhere a push
 * endpoint cannot be reached): a streaming-pull subscriber that acks what the bridge took (or
 * dropped, or filtered) and nacks what failed, so Pub/Sub redelivers it.
 */
import type { Message, PubSub, Subscription } from '@google-cloud/pubsub';
import { systemClock, type Clock } from '@recon/core';
import type { Logger } from '@recon/observability';
import type { CloudEventsBridge } from './bridge.ts';

export interface PullSubscriberOptions {
  pubsub: PubSub;
  /** `projects/<p>/subscriptions/<s>`, or a short name in the client's project. */
  subscription: string;
  bridge: CloudEventsBridge;
  logger: Logger;
  /** Messages handled at once. Default 100. */
  maxMessages?: number;
  /**
   * Hold a failed message this long before the nack, so a down receiver is not hammered: the
   * emulator applies no retry policy and redelivers a nack at once. Default 1 s.
   */
  nackDelayMs?: number;
  /** Waits out the nack delay. Default systemClock. */
  clock?: Clock;
}

export interface PullSubscriber {
  /** False after the subscription failed for good (e.g. it does not exist). */
  healthy(): boolean;
  /** Stops pulling; waits for messages in hand, flushes acks. */
  close(): Promise<void>;
}

export function startPullSubscriber(options: PullSubscriberOptions): PullSubscriber {
  const clock = options.clock ?? systemClock;
  const nackDelayMs = options.nackDelayMs ?? 1000;
  const stopping = new AbortController();
  const inFlight = new Set<Promise<void>>();
  let healthy = true;
  const subscription: Subscription = options.pubsub.subscription(options.subscription, {
    flowControl: { maxMessages: options.maxMessages ?? 100, allowExcessMessages: false },
  });

  const handle = async (message: Message) => {
    const result = await options.bridge.handleMessage(message, stopping.signal);
    if (result !== 'failed') return message.ack();
    await clock.sleep(nackDelayMs, stopping.signal);
    message.nack();
  };
  subscription.on('message', (message: Message) => {
    const work = handle(message).catch((err: unknown) => {
      options.logger.error('message handling failed', {
        error: err instanceof Error ? err : String(err),
      });
      message.nack();
    });
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  });
  subscription.on('error', (err: unknown) => {
    healthy = false;
    options.logger.error('subscription failed', {
      subscription: options.subscription,
      error: err instanceof Error ? err : String(err),
    });
  });

  return {
    healthy: () => healthy,
    async close() {
      stopping.abort();
      await Promise.allSettled([...inFlight]);
      await subscription.close();
    },
  };
}
