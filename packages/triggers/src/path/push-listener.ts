/**
 * The path reconciler's push listener: a `push` delivery (signature verified and deduplicated by
 * the shared webhook receiver) → the changed files' keys → the queue at priority 100. Other events
 * are ignored. A failed enqueue answers 503 so the delivery can be redelivered.
 */
import { InvalidArgumentError, UnavailableError, type EnqueuePort } from '@recon/core';
import type { Octokit } from '@recon/github';
import type { Logger } from '@recon/observability';
import type { WebhookEvent, WebhookOutcome } from '../github-webhook/webhook-request.ts';
import { forEachLimit } from '../util/for-each-limit.ts';
import type { PathPatterns } from './patterns.ts';
import { pushKeys, type RepositoryRef } from './push-keys.ts';

export interface PushListenerOptions {
  octokit: Octokit;
  repository: RepositoryRef;
  patterns: PathPatterns;
  enqueue: EnqueuePort;
  logger: Logger;
  /** Default 100. */
  priority?: number;
  /** Default 16. */
  concurrency?: number;
}

export function githubPushListener(options: PushListenerOptions) {
  const priority = options.priority ?? 100;
  return async (event: WebhookEvent, signal: AbortSignal): Promise<WebhookOutcome> => {
    if (event.name !== 'push') {
      return {
        result: 'ignored',
        keys: 0,
        message: event.name === 'ping' ? 'pong' : `${event.name} is not a push`,
      };
    }
    const decision = await pushKeys(event.payload, {
      octokit: options.octokit,
      repository: options.repository,
      patterns: options.patterns,
      signal,
      onMissingBefore: (sha) =>
        options.logger.warn('push base commit not found; treating every file as changed', {
          delivery: event.delivery,
          before: sha,
        }),
    });
    if (decision.kind === 'ignored')
      return { result: 'ignored', keys: 0, message: decision.reason };
    const failures = await forEachLimit(decision.keys, options.concurrency ?? 16, async (key) => {
      await options.enqueue.enqueue({ key, priority }, signal);
    });
    const fatal = failures.filter((f) => !InvalidArgumentError.is(f.error));
    for (const f of failures) {
      if (InvalidArgumentError.is(f.error))
        options.logger.warn('key rejected; dropped', { key: f.item, error: f.error });
    }
    if (fatal[0]) {
      throw new UnavailableError(
        `${fatal.length} of ${decision.keys.length} keys were not enqueued`,
        { cause: fatal[0].error },
      );
    }
    options.logger.info('push handled', {
      delivery: event.delivery,
      changedFiles: decision.changed,
      keys: decision.keys.length,
    });
    return {
      result: 'accepted',
      keys: decision.keys.length - failures.length,
      message: `${decision.changed} files changed on ${decision.branch}`,
    };
  };
}
