/**
 * The bridge's push endpoint (Cloud Run): Pub/Sub POSTs each message wrapped in its push envelope
 * `{ message: { data (base64), attributes, messageId }, subscription }`. A 2xx acknowledges it;
 * anything else is a nack, and Pub/Sub redelivers with the subscription's backoff. So:
 * enqueued, filtered or dropped → 200; receiver failure → 503; a body that is neither an
 * envelope nor a CloudEvent → 400. A CloudEvent POSTed directly over HTTP (binary `ce-*` headers
 * or structured JSON, as Eventarc delivers) is taken too.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@recon/observability';
import { BodyTooLargeError, readBody, reply } from '../util/http-body.ts';
import type { CloudEventsBridge } from './bridge.ts';
import type { PubsubMessageLike } from './decode-event.ts';

export interface PushEndpointOptions {
  bridge: CloudEventsBridge;
  logger: Logger;
  /** Pub/Sub messages are at most 10 MB; base64 and the envelope add a third. Default 16 MiB. */
  maxBodyBytes?: number;
}

/** An `OpsServer` `handle` function: takes every POST. */
export function createPushEndpoint(options: PushEndpointOptions) {
  const limit = options.maxBodyBytes ?? 16 * 1024 * 1024;
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (req.method !== 'POST') return false;
    let body: Buffer;
    try {
      body = await readBody(req, limit);
    } catch (err) {
      if (!BodyTooLargeError.is(err)) throw err;
      reply(res, 413, err.message);
      return true;
    }
    const message = toMessage(req, body);
    if (!message) {
      options.logger.warn('push request is neither a Pub/Sub envelope nor a CloudEvent');
      reply(res, 400, 'expected a Pub/Sub push envelope or a CloudEvent');
      return true;
    }
    const controller = new AbortController();
    res.once('close', () => controller.abort());
    const result = await options.bridge.handleMessage(message, controller.signal);
    reply(res, result === 'failed' ? 503 : 200, { result });
    return true;
  };
}

function toMessage(req: IncomingMessage, body: Buffer): PubsubMessageLike | undefined {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === 'string' && name.startsWith('ce-')) headers[name] = value;
  }
  if (headers['ce-specversion'] !== undefined) return { attributes: headers, data: body };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const envelope = (parsed as { message?: unknown }).message;
  if (typeof envelope === 'object' && envelope !== null) {
    const m = envelope as { data?: unknown; attributes?: unknown };
    return {
      data: typeof m.data === 'string' ? Buffer.from(m.data, 'base64') : null,
      attributes: isStringMap(m.attributes) ? m.attributes : {},
    };
  }
  // A structured CloudEvent POSTed directly: the body is the event.
  if (typeof (parsed as { specversion?: unknown }).specversion === 'string') return { data: body };
  return undefined;
}

function isStringMap(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.values(value).every((v) => typeof v === 'string')
  );
}
