/**
 * The router's entry (`node apps/router/src/main.ts`): the only place that reads process.env.
 * Exits 1 listing every configuration problem; drains on SIGTERM.
 */
import { runService } from '@recon/backends';
import { serveRouterFromEnv } from './serve-from-env.ts';

process.exit(await runService(() => serveRouterFromEnv(process.env), { name: 'router' }));
