import { ConfigError } from '@recon/core';

export interface RunningService {
  /** Graceful stop (drain). Resolves when the service is down. */
  stop(): Promise<void>;
}

export interface RunServiceOptions {
  name: string;
  /** Where the one-line messages go. Default stderr. */
  write?: (line: string) => void;
  /** Hard exit if a graceful stop takes longer (Cloud Run grants 10 s). Default 9 s. */
  stopTimeoutMs?: number;
}

/**
 * Runs a service until SIGTERM or SIGINT, then stops it gracefully. A configuration problem exits
 * 1 with every problem listed; so does a failure to start. Used by every entry file.
 */
export async function runService(
  start: () => Promise<RunningService>,
  options: RunServiceOptions,
): Promise<number> {
  const write = options.write ?? ((line: string) => process.stderr.write(line + '\n'));
  let service: RunningService;
  try {
    service = await start();
  } catch (err) {
    if (ConfigError.is(err)) write(`${options.name}: ${err.message}`);
    else
      write(
        `${options.name}: failed to start: ${err instanceof Error ? err.message : String(err)}`,
      );
    return 1;
  }
  return new Promise<number>((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      write(`${options.name}: ${signal} received, stopping`);
      const timer = setTimeout(() => {
        write(`${options.name}: stop took too long; exiting`);
        resolve(1);
      }, options.stopTimeoutMs ?? 9000);
      timer.unref();
      service.stop().then(
        () => {
          clearTimeout(timer);
          resolve(0);
        },
        (err: unknown) => {
          clearTimeout(timer);
          write(`${options.name}: stop failed: ${String(err)}`);
          resolve(1);
        },
      );
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  });
}
