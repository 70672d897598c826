// Bucket notifications, delivered like a Pub/Sub push subscription on a GCS notification config:
// POST {"message":{data,attributes,messageId,publishTime},"subscription"} to an HTTP endpoint.
// Delivery is fire-and-forget with a few retries; a write never waits for it.

import { setTimeout as sleep } from 'node:timers/promises';
import { InvalidOptionError } from './errors.ts';
import type { ChangeEvent } from './objects-store.ts';
import { objectResource } from './resource.ts';

export type NotificationEventType =
  'OBJECT_FINALIZE' | 'OBJECT_METADATA_UPDATE' | 'OBJECT_DELETE' | 'OBJECT_ARCHIVE';

const EVENT_TYPES: readonly string[] = [
  'OBJECT_FINALIZE',
  'OBJECT_METADATA_UPDATE',
  'OBJECT_DELETE',
  'OBJECT_ARCHIVE',
];

export interface NotifyOptions {
  /** Push endpoint that receives one POST per event. */
  readonly url: string;
  /** Only objects whose name starts with this (GCS `object_name_prefix`). Default: all objects. */
  readonly prefix?: string;
  /** Only these event types (GCS `event_types`). Default: all of them. */
  readonly eventTypes?: readonly string[];
  /** Only this bucket. Default: every bucket. */
  readonly bucket?: string;
  /** The `subscription` field of each push. Default `projects/test/subscriptions/gcs-emulator`. */
  readonly subscription?: string;
  /** Delivery attempts per event (answers other than 2xx, network errors). Default 3. */
  readonly attempts?: number;
}

export interface NotifierDeps {
  /** Base URL used in `selfLink`/`mediaLink` of the payload. */
  readonly baseUrl: string;
  /** Epoch milliseconds. */
  readonly now: () => number;
  readonly log: (line: string) => void;
}

const RETRY_DELAYS_MS = [100, 500, 2000];
const DELIVERY_TIMEOUT_MS = 5000;

export function validateNotifyOptions(n: NotifyOptions): void {
  try {
    new URL(n.url);
  } catch {
    throw new InvalidOptionError('notify.url', `not a URL: ${String(n.url)}`);
  }
  for (const t of n.eventTypes ?? []) {
    if (!EVENT_TYPES.includes(t)) {
      throw new InvalidOptionError(
        'notify.eventTypes',
        `unknown event type ${t}; use ${EVENT_TYPES.join(', ')}`,
      );
    }
  }
  if (n.attempts !== undefined && !(Number.isInteger(n.attempts) && n.attempts >= 1)) {
    throw new InvalidOptionError('notify.attempts', 'must be an integer >= 1');
  }
}

export class Notifier {
  private readonly options: NotifyOptions;
  private readonly deps: NotifierDeps;
  private readonly closing = new AbortController();
  private readonly inFlight = new Set<Promise<void>>();
  private nextMessageId = 1;

  constructor(options: NotifyOptions, deps: NotifierDeps) {
    validateNotifyOptions(options);
    this.options = options;
    this.deps = deps;
  }

  /** Turns a committed change into a push, if the config's filters let it through. */
  onChange(event: ChangeEvent): void {
    const o = this.options;
    const obj = event.object;
    const eventType: NotificationEventType =
      event.kind === 'finalize'
        ? 'OBJECT_FINALIZE'
        : event.kind === 'metadata'
          ? 'OBJECT_METADATA_UPDATE'
          : 'OBJECT_DELETE';
    if (o.bucket !== undefined && obj.bucket !== o.bucket) return;
    if (o.prefix !== undefined && !obj.name.startsWith(o.prefix)) return;
    if (o.eventTypes !== undefined && !o.eventTypes.includes(eventType)) return;
    if (this.closing.signal.aborted) return;

    const now = new Date(this.deps.now()).toISOString();
    const attributes: Record<string, string> = {
      bucketId: obj.bucket,
      objectId: obj.name,
      objectGeneration: String(obj.generation),
      eventType,
      eventTime: now,
      payloadFormat: 'JSON_API_V1',
      notificationConfig: `projects/_/buckets/${obj.bucket}/notificationConfigs/1`,
    };
    if (event.kind === 'finalize' && event.overwrote) {
      attributes['overwroteGeneration'] = String(event.overwrote.generation);
    }
    if (event.kind === 'delete' && event.overwrittenBy) {
      attributes['overwrittenByGeneration'] = String(event.overwrittenBy.generation);
    }
    const resource = objectResource(obj, this.deps.baseUrl);
    const body = JSON.stringify({
      message: {
        data: Buffer.from(JSON.stringify(resource)).toString('base64'),
        attributes,
        messageId: String(this.nextMessageId++),
        publishTime: now,
      },
      subscription: o.subscription ?? 'projects/test/subscriptions/gcs-emulator',
    });
    const delivery = this.deliver(body).finally(() => this.inFlight.delete(delivery));
    this.inFlight.add(delivery);
  }

  /** Stops new deliveries, aborts those in flight and waits for them to settle. */
  async close(): Promise<void> {
    this.closing.abort();
    await Promise.allSettled([...this.inFlight]);
  }

  private async deliver(body: string): Promise<void> {
    const attempts = this.options.attempts ?? 3;
    const signal = this.closing.signal;
    for (let attempt = 1; attempt <= attempts && !signal.aborted; attempt++) {
      try {
        const res = await fetch(this.options.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          signal: AbortSignal.any([signal, AbortSignal.timeout(DELIVERY_TIMEOUT_MS)]),
        });
        await res.body?.cancel();
        if (res.ok) return;
        if (attempt === attempts)
          this.deps.log(`notification to ${this.options.url} failed: HTTP ${res.status}`);
      } catch (err) {
        if (signal.aborted) return;
        if (attempt === attempts)
          this.deps.log(`notification to ${this.options.url} failed: ${String(err)}`);
      }
      if (attempt < attempts) {
        const delay = RETRY_DELAYS_MS[Math.min(attempt - 1, RETRY_DELAYS_MS.length - 1)]!;
        await sleep(delay, undefined, { signal }).catch(() => undefined);
      }
    }
  }
}
