// The standalone emulator: parse flags (and PORT) into a typed config, start, print one
// "listening" line for parents to wait on, stop cleanly on SIGINT/SIGTERM.

import { parseArgs } from 'node:util';
import type { GcsEmulatorOptions } from './emulator.ts';
import { startGcsEmulator } from './emulator.ts';
import { CliUsageError, InvalidOptionError } from './errors.ts';
import type { FaultOptions } from './faults.ts';
import type { NotifyOptions } from './notifications.ts';
import { validateNotifyOptions } from './notifications.ts';

export const CLI_USAGE = `usage: gcs-emulator [options]
  --port N                listen port (env PORT; default 4443; 0 = random)
  --host H                listen address (default 127.0.0.1)
  --data DIR              persist objects in DIR (default: memory only)
  --fsync                 fsync every write (with --data)
  --notify URL            push bucket notifications (Pub/Sub push format) to URL
  --notify-prefix P       only objects whose name starts with P
  --notify-event-types T  comma-separated, e.g. OBJECT_FINALIZE,OBJECT_DELETE (default: all)
  --notify-bucket B       only bucket B (default: all)
  --error-rate R          share of requests answered 429/503 (0..1)
  --latency-ms MS         latency added to every request
  --drop-rate R           share of connections dropped without an answer (0..1)
  --seed N                seed for the fault generator`;

export interface CliConfig {
  readonly help: boolean;
  readonly options: GcsEmulatorOptions & { readonly port: number; readonly host: string };
}

export interface CliIo {
  /** Receives the "listening" line. Default: process.stdout. */
  readonly stdout?: (line: string) => void;
  /** Receives problem reports. Default: process.stderr. */
  readonly stderr?: (line: string) => void;
  /** Stops the emulator when aborted (in addition to SIGINT/SIGTERM). */
  readonly signal?: AbortSignal;
}

/** Parses argv and env into options; throws CliUsageError listing every problem. */
export function parseCliArgs(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): CliConfig {
  const problems: string[] = [];
  let values: Record<string, string | boolean | undefined> = {};
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: 'boolean', short: 'h' },
        port: { type: 'string' },
        host: { type: 'string' },
        data: { type: 'string' },
        fsync: { type: 'boolean' },
        notify: { type: 'string' },
        'notify-prefix': { type: 'string' },
        'notify-event-types': { type: 'string' },
        'notify-bucket': { type: 'string' },
        'error-rate': { type: 'string' },
        'latency-ms': { type: 'string' },
        'drop-rate': { type: 'string' },
        seed: { type: 'string' },
      },
    }));
  } catch (err) {
    throw new CliUsageError([(err as Error).message]);
  }
  const str = (name: string): string | undefined => {
    const v = values[name];
    return typeof v === 'string' ? v : undefined;
  };
  const num = (
    name: string,
    raw: string | undefined,
    check: (n: number) => boolean,
    what: string,
  ): number | undefined => {
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (raw.trim() === '' || !check(n)) {
      problems.push(`${name}: ${what}, got "${raw}"`);
      return undefined;
    }
    return n;
  };

  const portRaw = str('port') ?? env['PORT'];
  const port =
    num(
      str('port') !== undefined ? '--port' : 'PORT',
      portRaw,
      (n) => Number.isInteger(n) && n >= 0 && n <= 65535,
      'must be an integer in 0..65535',
    ) ?? 4443;
  const rate = (n: number): boolean => n >= 0 && n <= 1;
  const faults: FaultOptions = {
    errorRate: num('--error-rate', str('error-rate'), rate, 'must be a number in 0..1') ?? 0,
    latencyMs:
      num(
        '--latency-ms',
        str('latency-ms'),
        (n) => Number.isFinite(n) && n >= 0,
        'must be a number >= 0',
      ) ?? 0,
    dropRate: num('--drop-rate', str('drop-rate'), rate, 'must be a number in 0..1') ?? 0,
  };
  const seed = num('--seed', str('seed'), Number.isInteger, 'must be an integer');

  let notify: NotifyOptions | undefined;
  const notifyUrl = str('notify');
  if (notifyUrl !== undefined) {
    const types = str('notify-event-types');
    const prefix = str('notify-prefix');
    const bucket = str('notify-bucket');
    notify = {
      url: notifyUrl,
      ...(prefix !== undefined ? { prefix } : {}),
      ...(bucket !== undefined ? { bucket } : {}),
      ...(types !== undefined
        ? {
            eventTypes: types
              .split(',')
              .map((t) => t.trim())
              .filter(Boolean),
          }
        : {}),
    };
    try {
      validateNotifyOptions(notify);
    } catch (err) {
      if (!InvalidOptionError.is(err)) throw err;
      const flag = err.field === 'notify.eventTypes' ? '--notify-event-types' : '--notify';
      problems.push(`${flag}: ${err.message.slice(err.field.length + 2)}`);
    }
  } else {
    for (const dependent of ['notify-prefix', 'notify-event-types', 'notify-bucket']) {
      if (str(dependent) !== undefined) problems.push(`--${dependent}: needs --notify`);
    }
  }
  if (values['fsync'] === true && str('data') === undefined) problems.push('--fsync: needs --data');
  if (problems.length > 0) throw new CliUsageError(problems);

  const dataDir = str('data');
  return {
    help: values['help'] === true,
    options: {
      port,
      host: str('host') ?? '127.0.0.1',
      faults,
      fsync: values['fsync'] === true,
      ...(dataDir !== undefined ? { dataDir } : {}),
      ...(notify ? { notify } : {}),
      ...(seed !== undefined ? { seed } : {}),
    },
  };
}

/**
 * Runs the emulator until SIGINT, SIGTERM or `io.signal`. Prints
 * `gcs-emulator listening on http://127.0.0.1:PORT` once it accepts requests.
 */
export async function runGcsEmulatorCli(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  io: CliIo = {},
): Promise<void> {
  const out = io.stdout ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = io.stderr ?? ((line: string) => process.stderr.write(`${line}\n`));
  const config = parseCliArgs(argv, env);
  if (config.help) {
    out(CLI_USAGE);
    return;
  }
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  io.signal?.addEventListener('abort', onSignal, { once: true });
  try {
    const emulator = await startGcsEmulator({ ...config.options, log: err });
    out(`gcs-emulator listening on ${emulator.url}`);
    if (!stop.signal.aborted) {
      await new Promise<void>((resolve) =>
        stop.signal.addEventListener('abort', () => resolve(), { once: true }),
      );
    }
    await emulator.close();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    io.signal?.removeEventListener('abort', onSignal);
  }
}
