import { runService } from '@recon/backends';
import { serveDispatcherFromEnv } from './serve.ts';

process.exitCode = await runService(() => serveDispatcherFromEnv(process.env), {
  name: 'dispatcher',
});
