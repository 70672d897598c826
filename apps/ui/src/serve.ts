import { openQueue, type Env, type RunningService } from '@recon/backends';
import { parseUiConfig } from './config.ts';
import { countersFromUrls } from './server/counters.ts';
import { startUi } from './server/start-ui.ts';

/**
 * The UI as its own service (Cloud Run behind IAM, or `recon serve ui`), configured by
 * environment only. Writes wake no dispatcher here: the bucket's notifications do.
 */
export async function serveUiFromEnv(
  env: Env,
  write: (line: string) => void = (line) => process.stderr.write(line + '\n'),
): Promise<RunningService & { url: string }> {
  const config = parseUiConfig(env);
  const queue = openQueue(config.queue);
  try {
    const ui = await startUi({
      queue,
      port: config.port,
      host: config.host,
      readOnly: config.readOnly,
      basePath: config.basePath,
      refreshMs: config.refreshMs,
      ...(config.metricsUrls.length ? { counters: countersFromUrls(config.metricsUrls) } : {}),
    });
    write(`ui: serving ${ui.url}${config.readOnly ? ' (read-only)' : ''}`);
    return {
      url: ui.url,
      async stop() {
        await ui.close();
        await queue.close();
      },
    };
  } catch (err) {
    await queue.close();
    throw err;
  }
}
