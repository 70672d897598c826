import { ConfigError } from '@recon/core';

export interface RunningService {
  /** Graceful stop (drain). Resolves when the service is down. */
  stop(): Promise<void>;
}

export interface RunServiceOptions {
  name: string;
  /** Where the one-line messages go. Default stderr. */
  write?: (line: string) => void;
  /** Give up on a graceful stop after this long (Cloud Run grants 10 s). Default 9 s. */
  stopTimeoutMs?: number;
}

/**
 * Runs a service until SIGTERM or SIGINT, then stops it gracefully, and resolves the exit code.
 * The signal handlers are installed before the service starts, so a SIGTERM that arrives while it
 * is starting still drains it (once started) instead of killing it mid-pass. A configuration
 * problem resolves 1 with every problem listed; so does a failure to start. Entry files exit
 * with the code, so nothing left behind (a client's retry timer) holds the process.
 */
export async function runService(
  start: () => Promise<RunningService>,
  options: RunServiceOptions,
): Promise<number> {
  const write = options.write ?? ((line: string) => process.stderr.write(line + '\n'));
  let signalled: (signal: NodeJS.Signals) => void = () => {};
  const signal = new Promise<NodeJS.Signals>((resolve) => (signalled = resolve));
  process.once('SIGTERM', signalled);
  process.once('SIGINT', signalled);
  try {
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
    const received = await signal;
    write(`${options.name}: ${received} received, stopping`);
    return await stopWithin(service, options.stopTimeoutMs ?? 9000, options.name, write);
  } finally {
    process.off('SIGTERM', signalled);
    process.off('SIGINT', signalled);
  }
}

async function stopWithin(
  service: RunningService,
  timeoutMs: number,
  name: string,
  write: (line: string) => void,
): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<number>((resolve) => {
    timer = setTimeout(() => {
      write(`${name}: stop took longer than ${timeoutMs} ms; exiting`);
      resolve(1);
    }, timeoutMs);
  });
  const stopped = service.stop().then(
    () => 0,
    (err: unknown) => {
      write(`${name}: stop failed: ${String(err)}`);
      return 1;
    },
  );
  try {
    return await Promise.race([stopped, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
