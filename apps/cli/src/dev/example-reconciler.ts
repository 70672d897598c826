import { done, nonRetriable, reconciler, requeueAfter } from '@recon/sdk';

/**
 * The example `recon dev --example` runs: each key shows one outcome of the queue, so a newcomer
 * sees a success, a retry with backoff, a periodic requeue and a permanent failure flow by.
 * Keys: `demo/ok-*` converge at once; `demo/flaky-*` fail their first attempt; `demo/poll-*`
 * come back once after two seconds; `demo/bad-*` are rejected for good.
 */
const seen = new Map<string, number>();

export const exampleReconciler = reconciler(
  async (key, ctx) => {
    const visits = (seen.get(key) ?? 0) + 1;
    seen.set(key, visits);
    ctx.logger.info('reconciling', { visits });
    if (key.startsWith('demo/flaky-') && ctx.attempt === 1) {
      throw new Error('the world was not ready (first attempt fails on purpose)');
    }
    if (key.startsWith('demo/poll-') && visits === 1) return requeueAfter('2s');
    if (key.startsWith('demo/bad-'))
      return nonRetriable(new Error('this key can never converge'), 'bad key');
    return done();
  },
  { name: 'example' },
);

export const exampleKeys = ['demo/ok-1', 'demo/ok-2', 'demo/flaky-1', 'demo/poll-1', 'demo/bad-1'];
