import { runReenqueueFromEnv } from './job.ts';

process.exitCode = await runReenqueueFromEnv(process.env);
