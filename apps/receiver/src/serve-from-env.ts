/**
 * The receiver as a deployable: configuration from an environment map, the backend opened by the
 * shared @recon/backends, and a stop that drains calls then closes the backend. Used by main.ts and
 * by `recon serve receiver` (the container images), which pass process.env.
 */
import { openQueue, type RunningService } from '@recon/backends';
import { defaultWorkqueueOptions } from '@recon/core';
import { parseReceiverConfig, type Env } from './config.ts';
import { startReceiver } from './receiver.ts';

/** Throws ConfigError listing every problem before anything starts. */
export async function serveReceiverFromEnv(env: Env): Promise<RunningService> {
  const config = parseReceiverConfig(env);
  const queue = openQueue({ ...config.queue, workqueue: { ...defaultWorkqueueOptions } });
  try {
    const receiver = await startReceiver({
      queue,
      port: config.port,
      ...(config.healthPort !== undefined ? { healthPort: config.healthPort } : {}),
    });
    return {
      async stop() {
        await receiver.close();
        await queue.close();
      },
    };
  } catch (err) {
    await queue.close();
    throw err;
  }
}
