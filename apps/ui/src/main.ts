import { runService } from '@recon/backends';
import { serveUiFromEnv } from './serve.ts';

process.exitCode = await runService(() => serveUiFromEnv(process.env), { name: 'ui' });
