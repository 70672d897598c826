import { runService } from '@recon/backends';
import { serveDispatcherFromEnv } from './serve.ts';

const code = await runService(() => serveDispatcherFromEnv(process.env), { name: 'dispatcher' });
// Stopped (or gave up stopping). Whatever is left — a storage call still in its client's retries,
// keep-alive sockets — must not hold the process past Cloud Run's SIGTERM grace.
process.exit(code);
