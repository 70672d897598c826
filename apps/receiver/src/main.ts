/**
 * The receiver's entry (`node apps/receiver/src/main.ts`): the only place that reads
 * process.env. Exits 1 listing every configuration problem; drains on SIGTERM.
 */
import { runService } from '@recon/backends';
import { serveReceiverFromEnv } from './serve-from-env.ts';

process.exit(await runService(() => serveReceiverFromEnv(process.env), { name: 'receiver' }));
