import { ConfigError, InvalidArgumentError, ReconError } from '@recon/core';

/** The user typed something wrong: exit 2. */
export class UsageError extends ReconError {
  static override readonly code = 'CLI_USAGE';
}

/** The command ran and failed in a way the user can act on: exit 1, one line. */
export class CommandError extends ReconError {
  static override readonly code = 'CLI_COMMAND';
}

export const exitCodes = { ok: 0, failure: 1, usage: 2 } as const;

/** The one place errors become exit codes and one readable line. */
export function describeFailure(err: unknown, verbose: boolean): { code: number; text: string } {
  const stack = verbose && err instanceof Error && err.stack ? `\n${err.stack}` : '';
  if (UsageError.is(err) || InvalidArgumentError.is(err)) {
    return { code: exitCodes.usage, text: `error: ${err.message}${stack}` };
  }
  if (ConfigError.is(err))
    return { code: exitCodes.failure, text: `error: ${err.message}${stack}` };
  const message = err instanceof Error ? err.message : String(err);
  return { code: exitCodes.failure, text: `error: ${message}${stack}` };
}
