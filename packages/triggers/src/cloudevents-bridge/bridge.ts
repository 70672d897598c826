/**
 * The CloudEvents bridge: one event in, at most one key out. Shared by the push endpoint and the
 * pull subscriber, which only translate its answer: `failed` is the one result that must not be
 * acknowledged (the receiver could not take the key; Pub/Sub redelivers), everything else is.
 */
import { InvalidArgumentError, validateKey, validatePriority, type EnqueuePort } from '@recon/core';
import { silentLogger, type Logger } from '@recon/observability';
import {
  decodePubsubCloudEvent,
  type EventAttributes,
  type PubsubMessageLike,
} from './decode-event.ts';
import { matchesFilters, type AttributeFilter } from './filters.ts';
import { createBridgeMetrics, type BridgeMetrics, type BridgeResult } from './metrics.ts';

export interface CloudEventsBridgeOptions {
  enqueue: EnqueuePort;
  /** The extension whose value is the key, e.g. `pullrequesturl`. */
  extensionKey: string;
  /** Priority of every enqueued key. Default 0. */
  priority?: number;
  /** OR-ed exact-match attribute filters. Default `[]`: accept every event. */
  filters?: readonly AttributeFilter[];
  /** Default: fresh metrics on a private registry. */
  metrics?: BridgeMetrics;
  /** Default: silent. */
  logger?: Logger;
}

export interface CloudEventsBridge {
  readonly metrics: BridgeMetrics;
  /** Decodes a Pub/Sub message and handles the CloudEvent in it (not one → `dropped`). */
  handleMessage(message: PubsubMessageLike, signal?: AbortSignal): Promise<BridgeResult>;
  /** Handles a decoded event's attributes. */
  handleEvent(attributes: EventAttributes, signal?: AbortSignal): Promise<BridgeResult>;
}

export function createCloudEventsBridge(options: CloudEventsBridgeOptions): CloudEventsBridge {
  const priority = validatePriority(options.priority ?? 0);
  const filters = options.filters ?? [];
  const metrics = options.metrics ?? createBridgeMetrics();
  const logger = options.logger ?? silentLogger;
  const count = (result: BridgeResult): BridgeResult => {
    metrics.events.inc({ result });
    return result;
  };

  const handleEvent = async (attributes: EventAttributes, signal?: AbortSignal) => {
    const event = { id: attributes['id'], type: attributes['type'] };
    if (!matchesFilters(attributes, filters)) return count('filtered');
    const key = attributes[options.extensionKey];
    if (key === undefined || key === '') {
      logger.warn('event has no key extension; dropped', {
        ...event,
        extension: options.extensionKey,
      });
      return count('dropped');
    }
    try {
      validateKey(key);
      await options.enqueue.enqueue({ key, priority }, signal);
    } catch (err) {
      if (InvalidArgumentError.is(err)) {
        logger.warn('event key rejected; dropped', { ...event, key, error: err });
        return count('dropped');
      }
      logger.error('enqueue failed; the event will be redelivered', {
        ...event,
        key,
        error: toError(err),
      });
      return count('failed');
    }
    logger.debug('key enqueued', { ...event, key });
    return count('enqueued');
  };

  return {
    metrics,
    handleEvent,
    async handleMessage(message, signal) {
      const attributes = decodePubsubCloudEvent(message);
      if (!attributes) {
        logger.warn('message is not a CloudEvent; dropped');
        return count('dropped');
      }
      return handleEvent(attributes, signal);
    },
  };
}

function toError(err: unknown): Error | string {
  return err instanceof Error ? err : String(err);
}
