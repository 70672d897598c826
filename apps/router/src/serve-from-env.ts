/**
 * The router as a deployable: configuration from an environment map. Used by main.ts and by
 * `recon serve router` (the container images), which pass process.env.
 */
import type { RunningService } from '@recon/backends';
import { parseRouterConfig, type Env } from './config.ts';
import { startRouter } from './router.ts';

/** Throws ConfigError listing every problem before anything starts. */
export async function serveRouterFromEnv(env: Env): Promise<RunningService> {
  const config = parseRouterConfig(env);
  const router = await startRouter({
    shards: config.shards,
    port: config.port,
    ...(config.healthPort !== undefined ? { healthPort: config.healthPort } : {}),
  });
  return { stop: () => router.close() };
}
