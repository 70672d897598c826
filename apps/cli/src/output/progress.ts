import { SingleBar } from 'cli-progress';
import type { CliContext } from '../context.ts';

export interface Progress {
  update(done: number, detail?: string): void;
  stop(): void;
}

const none: Progress = { update: () => {}, stop: () => {} };

/**
 * A progress bar on stderr, only on a terminal (and never with --json, whose stdout is a
 * document): off a terminal, long work reports through its summary alone.
 */
export function startProgress(
  ctx: CliContext,
  options: { total: number; label: string; enabled: boolean },
): Progress {
  if (!ctx.isTTY || !options.enabled || options.total === 0) return none;
  const stream = {
    isTTY: true,
    columns: 100,
    write: (text: string) => {
      ctx.stderr(text);
      return true;
    },
  } as unknown as NodeJS.WritableStream;
  const bar = new SingleBar({
    stream,
    format: `${options.label} [{bar}] {value}/{total} {detail}`,
    hideCursor: true,
    clearOnComplete: false,
    gracefulExit: false,
    barsize: 30,
  });
  bar.start(options.total, 0, { detail: '' });
  return {
    update: (done, detail = '') => bar.update(done, { detail }),
    stop: () => bar.stop(),
  };
}
