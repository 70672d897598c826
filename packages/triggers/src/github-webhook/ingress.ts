/**
 * The GitHub webhook ingress: verified, deduplicated deliveries → PR and issue keys → a sink.
 * Events that name no pull request or issue (push, ping, release, …) are answered `ignored`.
 */
import type { WebhookEvent, WebhookOutcome } from './webhook-request.ts';
import { githubEventKeys } from './event-keys.ts';
import type { KeySink } from './key-sinks.ts';

export function githubIngress(sink: KeySink) {
  return async (event: WebhookEvent, signal: AbortSignal): Promise<WebhookOutcome> => {
    const keys = githubEventKeys(event.name, event.payload);
    if (keys.length === 0) {
      return {
        result: 'ignored',
        keys: 0,
        message: event.name === 'ping' ? 'pong' : `no keys in ${event.name}`,
      };
    }
    await sink.deliver(event, keys, signal);
    return {
      result: 'accepted',
      keys: keys.length,
      message: `${sink.kind} ${keys.map((k) => k.key).join(' ')}`,
    };
  };
}
