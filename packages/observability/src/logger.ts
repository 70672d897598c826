/**
 * Structured JSON logs, one object per line, in Cloud Logging's field names (`severity`,
 * `message`), so Cloud Run's agent parses them without configuration. Fields such as `key`,
 * `attempt` and `outcome` ride along. Secrets are never passed to a logger.
 */
export type Severity = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';

const rank: Record<Severity, number> = { DEBUG: 0, INFO: 1, WARNING: 2, ERROR: 3 };

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  /** Lowest severity written. Default INFO. */
  level?: Severity;
  /** Where lines go. Default process.stdout. */
  write?: (line: string) => void;
  /** Fields on every line (e.g. `{ service: 'dispatcher' }`). */
  fields?: LogFields;
  /** Time source for the `time` field. Default Date.now. */
  now?: () => number;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const min = rank[options.level ?? 'INFO'];
  const write = options.write ?? ((line: string) => process.stdout.write(line + '\n'));
  const now = options.now ?? Date.now;
  const make = (bound: LogFields): Logger => {
    const log = (severity: Severity, message: string, fields?: LogFields) => {
      if (rank[severity] < min) return;
      const entry: LogFields = { severity, message, time: new Date(now()).toISOString(), ...bound };
      for (const [k, v] of Object.entries(fields ?? {}))
        entry[k] = v instanceof Error ? describeError(v) : v;
      write(JSON.stringify(entry));
    };
    return {
      debug: (m, f) => log('DEBUG', m, f),
      info: (m, f) => log('INFO', m, f),
      warn: (m, f) => log('WARNING', m, f),
      error: (m, f) => log('ERROR', m, f),
      child: (fields) => make({ ...bound, ...fields }),
    };
  };
  return make(options.fields ?? {});
}

/** A logger that drops everything (tests, quiet embedding). */
export const silentLogger: Logger = createLogger({ write: () => {}, level: 'ERROR' });

function describeError(err: Error): LogFields {
  return {
    name: err.name,
    message: err.message,
    ...(err.cause ? { cause: String(err.cause) } : {}),
  };
}
