import type { CliContext } from '../context.ts';

/** The one JSON document a `--json` command prints on stdout. */
export function printJson(ctx: CliContext, value: unknown): void {
  ctx.stdout(JSON.stringify(value, null, 2) + '\n');
}

/** One JSON document per line (`--watch` off a terminal). */
export function printJsonLine(ctx: CliContext, value: unknown): void {
  ctx.stdout(JSON.stringify(value) + '\n');
}
