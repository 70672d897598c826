/**
 * A GitHub event as a CloudEvent on Pub/Sub, in binary mode (the CloudEvents Pub/Sub binding):
 * context attributes as `ce-*` message attributes, the webhook payload as the data.
 *
 *   type     dev.chainguard.github.<event>     subject  <owner>/<repo>
 *   source   https://github.com/<owner>/<repo> id       <delivery>[-<n>]
 *   pullrequesturl | issueurl  the key        action   the payload's action, if any
 */
import type { EventKey } from './event-keys.ts';
import type { WebhookEvent } from './webhook-request.ts';

/** Pub/Sub takes 10 MB per message; a larger payload goes without its data. */
const maxDataBytes = 9 * 1024 * 1024;

export interface PubsubMessageInit {
  data: Buffer;
  attributes: Record<string, string>;
}

export function cloudEventMessage(
  event: WebhookEvent,
  key: EventKey,
  options: { index?: number | undefined; now: number },
): PubsubMessageInit {
  const attributes: Record<string, string> = {
    'ce-specversion': '1.0',
    'ce-id': options.index === undefined ? event.delivery : `${event.delivery}-${options.index}`,
    'ce-source': `https://github.com/${key.owner}/${key.repo}`,
    'ce-type': `dev.chainguard.github.${event.name}`,
    'ce-subject': `${key.owner}/${key.repo}`,
    'ce-time': new Date(options.now).toISOString(),
    [`ce-${key.extension}`]: key.key,
    'content-type': 'application/json',
  };
  const action = (event.payload as { action?: unknown } | null)?.action;
  if (typeof action === 'string' && action !== '') attributes['ce-action'] = action;
  const data =
    event.body.length <= maxDataBytes
      ? Buffer.from(JSON.stringify(event.payload))
      : Buffer.alloc(0);
  return { data, attributes };
}
