/**
 * One GitHub webhook delivery, from raw request to answer, for every service that takes GitHub
 * webhooks (the ingress and the path reconciler's push listener):
 *
 * 1. the raw body (at most 25 MiB, GitHub's cap) is checked against `X-Hub-Signature-256`;
 *    unsigned or wrongly signed → 401 and nothing else happens;
 * 2. `X-GitHub-Event` and `X-GitHub-Delivery` are required → else 400;
 * 3. a delivery id seen recently → 200 `duplicate`;
 * 4. the payload (JSON, or the `payload` field of a form-encoded body) goes to `onEvent`;
 *    success → 200 and the id is remembered; a throw → 503 and it is not, so a redelivery works.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@recon/observability';
import { BodyTooLargeError, readBody, reply } from '../util/http-body.ts';
import type { DeliveryDedup } from './delivery-dedup.ts';
import type { DeliveryResult, WebhookMetrics } from './metrics.ts';
import { verifyGithubSignature } from './signature.ts';

export interface WebhookEvent {
  /** `X-GitHub-Event`, e.g. `pull_request`. */
  name: string;
  /** `X-GitHub-Delivery`. */
  delivery: string;
  payload: unknown;
  /** The raw body, as signed. */
  body: Buffer;
}

export interface WebhookOutcome {
  /** `accepted`: keys went out; `ignored`: nothing to do for this event. */
  result: 'accepted' | 'ignored';
  keys: number;
  /** Said in the answer, for whoever reads GitHub's delivery log. */
  message?: string;
}

export interface WebhookReceiverOptions {
  /** The webhook secret. Never logged. */
  secret: string;
  dedup: DeliveryDedup;
  logger: Logger;
  metrics: WebhookMetrics;
  onEvent(event: WebhookEvent, signal: AbortSignal): Promise<WebhookOutcome>;
  /** Default 25 MiB. */
  maxBodyBytes?: number;
}

/** An `OpsServer` `handle` function: takes every POST. */
export function createWebhookReceiver(options: WebhookReceiverOptions) {
  const limit = options.maxBodyBytes ?? 25 * 1024 * 1024;
  const { logger, metrics } = options;
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (req.method !== 'POST') return false;
    const name = header(req, 'x-github-event');
    const delivery = header(req, 'x-github-delivery');
    const count = (result: DeliveryResult) =>
      metrics.deliveries.inc({ event: name ?? 'unknown', result });
    let body: Buffer;
    try {
      body = await readBody(req, limit);
    } catch (err) {
      if (!BodyTooLargeError.is(err)) throw err;
      count('invalid');
      reply(res, 413, err.message);
      return true;
    }
    if (!verifyGithubSignature(options.secret, body, req.headers['x-hub-signature-256'])) {
      count('unauthorized');
      logger.warn('webhook signature missing or invalid', { delivery, event: name });
      reply(res, 401, 'invalid or missing X-Hub-Signature-256');
      return true;
    }
    if (!name || !delivery) {
      count('invalid');
      reply(res, 400, 'X-GitHub-Event and X-GitHub-Delivery are required');
      return true;
    }
    if (options.dedup.has(delivery)) {
      count('duplicate');
      logger.info('duplicate delivery ignored', { delivery, event: name });
      reply(res, 200, { result: 'duplicate' });
      return true;
    }
    const payload = parsePayload(req, body);
    if (payload === undefined) {
      count('invalid');
      reply(res, 400, 'the payload is not JSON');
      return true;
    }
    const controller = new AbortController();
    res.once('close', () => controller.abort());
    let outcome: WebhookOutcome;
    try {
      outcome = await options.onEvent({ name, delivery, payload, body }, controller.signal);
    } catch (err) {
      count('failed');
      logger.error('webhook delivery failed', {
        delivery,
        event: name,
        error: err instanceof Error ? err : String(err),
      });
      reply(res, 503, 'could not hand the keys on; redeliver later');
      return true;
    }
    options.dedup.add(delivery);
    count(outcome.result);
    metrics.keys.inc(outcome.keys);
    logger.info('webhook delivery handled', {
      delivery,
      event: name,
      result: outcome.result,
      keys: outcome.keys,
    });
    reply(res, 200, {
      result: outcome.result,
      keys: outcome.keys,
      ...(outcome.message ? { message: outcome.message } : {}),
    });
    return true;
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function parsePayload(req: IncomingMessage, body: Buffer): unknown {
  let text = body.toString('utf8');
  if ((req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
    text = new URLSearchParams(text).get('payload') ?? '';
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
