import { runService } from '@recon/backends';
import { serveUiFromEnv } from './serve.ts';

process.exit(await runService(() => serveUiFromEnv(process.env), { name: 'ui' }));
