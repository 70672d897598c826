import { ConfigError } from '@recon/core';
import { runReenqueueFromEnv } from './job.ts';

try {
  process.exitCode = await runReenqueueFromEnv(process.env);
} catch (err) {
  const why = ConfigError.is(err)
    ? err.message
    : `failed: ${err instanceof Error ? err.message : String(err)}`;
  process.stderr.write(`reenqueue: ${why}\n`);
  process.exitCode = 1;
}
