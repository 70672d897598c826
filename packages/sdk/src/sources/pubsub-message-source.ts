/**
 * A Pub/Sub message source for the control-plane/data-plane pattern.
 *
 * 1. A desired-state message arrives on the (pull) subscription;
 * 2. it lands in the resource store (create / update = apply, delete = delete with cascade);
 * 3. the key `kind/uid` is enqueued on the controller, and only then is the message acked
 *    (a store or queue failure — back-pressure included — nacks it for redelivery);
 * 4. when an attempt that started after the enqueue ends for good (success, permanent failure
 *    or dead letter), a reply `{ eventId, key, status, metadata }` goes to the reply topic.
 *    A malformed message is acked (redelivery cannot fix it) and replied `rejected`.
 *
 * Replies are level-based too: several events for one key before an attempt starts are all
 * answered by that attempt, since it reconciles the state they produced together.
 */
import type { Message, Subscription, Topic } from '@google-cloud/pubsub';
import { ReconError } from '@recon/core';
import type { Controller } from '../controller/controller.ts';
import type { Logger } from '../logger.ts';
import { silentLogger } from '../logger.ts';
import { messageOf } from '../outcomes.ts';
import { parseResourceKey, type ResourceStore, resourceKey } from '../resources/resource-store.ts';
import {
  type DesiredState,
  parseDesiredState,
  type Reply,
  type ReplyStatus,
} from './desired-state.ts';

export interface PubSubMessageSourceOptions {
  /** A pull subscription carrying desired-state messages. */
  subscription: Pick<Subscription, 'on' | 'removeListener' | 'close'>;
  /** Where results are published. Default: none (results are only logged). */
  replyTopic?: Pick<Topic, 'publishMessage'>;
  store: ResourceStore;
  controller: Controller;
  /** Retry-policy source name for the enqueued keys. Default `messages`. */
  source?: string;
  logger?: Logger;
}

interface Pending {
  eventId: string;
  action: DesiredState['action'];
}

export class PubSubMessageSource {
  readonly #o: PubSubMessageSourceOptions;
  readonly #logger: Logger;
  /** Events applied and enqueued, not yet covered by a started attempt. */
  readonly #waiting = new Map<string, Pending[]>();
  /** Events an attempt in flight will answer. */
  readonly #answering = new Map<string, Pending[]>();
  readonly #replies = new Set<Promise<unknown>>();
  #unobserve: (() => void) | undefined;
  readonly #onMessage = (message: Message) => void this.#handle(message);
  readonly #onError = (error: unknown) =>
    this.#logger.warn('subscription error', { error: messageOf(error) });

  constructor(options: PubSubMessageSourceOptions) {
    this.#o = options;
    this.#logger = options.logger ?? silentLogger;
  }

  /** Starts receiving. The controller should be started too (it reconciles and reports results). */
  start(): void {
    if (this.#unobserve) return;
    this.#unobserve = this.#o.controller.observe({
      onAttemptStart: ({ key }) => {
        const waiting = this.#waiting.get(key);
        if (!waiting) return;
        this.#waiting.delete(key);
        this.#answering.set(key, [...(this.#answering.get(key) ?? []), ...waiting]);
      },
      onSuccess: ({ key, attempt, requeueAfterMs }) =>
        this.#answer(key, 'succeeded', {
          attempt,
          ...(requeueAfterMs === undefined ? {} : { requeueAfterMs }),
        }),
      onError: ({ key, attempt, message, permanent }) => {
        if (permanent) this.#answer(key, 'failed', { attempt, error: message });
      },
      onDeadLetter: ({ key, attempt, message }) =>
        this.#answer(key, 'dead-lettered', { attempt, error: message }),
    });
    this.#o.subscription.on('message', this.#onMessage);
    this.#o.subscription.on('error', this.#onError);
  }

  /** Stops receiving and waits for replies being published. Unanswered events stay unanswered. */
  async stop(): Promise<void> {
    this.#o.subscription.removeListener('message', this.#onMessage);
    this.#o.subscription.removeListener('error', this.#onError);
    this.#unobserve?.();
    this.#unobserve = undefined;
    await this.#o.subscription.close();
    await Promise.allSettled([...this.#replies]);
  }

  async #handle(message: Message): Promise<void> {
    let state: DesiredState;
    try {
      state = parseDesiredState({
        id: message.id,
        data: message.data,
        attributes: message.attributes,
      });
    } catch (error) {
      message.ack();
      const eventId = message.attributes.eventId || message.id;
      this.#publish({
        eventId,
        key: '',
        status: 'rejected',
        metadata: { error: messageOf(error) },
      });
      return;
    }
    const key = resourceKey(state);
    try {
      if (state.action === 'delete') {
        await this.#o.store.delete(state.kind, state.uid);
      } else {
        await this.#o.store.apply({
          kind: state.kind,
          uid: state.uid,
          spec: state.spec,
          ...(state.ownerRefs ? { ownerRefs: state.ownerRefs } : {}),
          ...(state.action === 'create' ? { expectedGeneration: 0 } : {}),
        });
      }
    } catch (error) {
      if (
        ReconError.is(error) &&
        (error.code === 'CONFLICT' || error.code === 'INVALID_ARGUMENT')
      ) {
        message.ack(); // e.g. create of an existing resource: redelivery cannot fix it
        this.#publish({
          eventId: state.eventId,
          key,
          status: 'rejected',
          metadata: { error: error.message },
        });
        return;
      }
      this.#logger.warn('could not store desired state; will be redelivered', {
        key,
        error: messageOf(error),
      });
      message.nack();
      return;
    }
    const pending: Pending = { eventId: state.eventId, action: state.action };
    this.#waiting.set(key, [...(this.#waiting.get(key) ?? []), pending]);
    try {
      await this.#o.controller.enqueue(key, { source: this.#o.source ?? 'messages', force: true });
    } catch (error) {
      this.#waiting.set(
        key,
        (this.#waiting.get(key) ?? []).filter((p) => p !== pending),
      );
      this.#logger.warn('could not enqueue; will be redelivered', { key, error: messageOf(error) });
      message.nack();
      return;
    }
    message.ack();
  }

  #answer(key: string, status: ReplyStatus, metadata: Record<string, unknown>): void {
    const events = this.#answering.get(key);
    if (!events) return;
    this.#answering.delete(key);
    const reply = async () => {
      const ref = parseResourceKey(key);
      const resource = ref && (await this.#o.store.get(ref.kind, ref.uid));
      const extra = resource
        ? { generation: resource.generation, status: resource.status }
        : { deleted: true };
      for (const e of events)
        this.#publish({
          eventId: e.eventId,
          key,
          status,
          metadata: { action: e.action, ...metadata, ...extra },
        });
    };
    this.#track(reply());
  }

  #publish(reply: Reply): void {
    const topic = this.#o.replyTopic;
    this.#logger.info('reply', { eventId: reply.eventId, key: reply.key, status: reply.status });
    if (!topic) return;
    this.#track(
      topic.publishMessage({
        json: reply,
        attributes: { eventId: reply.eventId, status: reply.status, key: reply.key },
      }),
    );
  }

  #track(p: Promise<unknown>): void {
    const tracked = p.catch((error: unknown) =>
      this.#logger.warn('reply failed', { error: messageOf(error) }),
    );
    this.#replies.add(tracked);
    void tracked.finally(() => this.#replies.delete(tracked));
  }
}
