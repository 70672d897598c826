import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliContext } from '../../src/context.ts';
import { runCli } from '../../src/program.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as the one JSON document of --json. */
  json<T = Record<string, unknown>>(): T;
}

export interface TestContextOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  isTTY?: boolean;
  signal?: AbortSignal;
  /** Sees each stdout write as it happens (e.g. to press Ctrl-C after a frame). */
  onStdout?: (text: string) => void;
}

/** A CliContext that captures output, for the program run in-process. */
export function testContext(
  options: TestContextOptions,
): CliContext & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (t) => {
      out.push(t);
      options.onStdout?.(t);
    },
    stderr: (t) => void err.push(t),
    env: options.env ?? { PATH: process.env['PATH'], HOME: options.cwd },
    cwd: options.cwd,
    isTTY: options.isTTY ?? false,
    interrupted: options.signal ?? new AbortController().signal,
  };
}

/** Runs `recon <argv>` in-process. */
export async function cli(
  argv: string[],
  options: TestContextOptions & { extra?: object },
): Promise<CliRun> {
  const ctx = { ...testContext(options), ...options.extra };
  const code = await runCli(argv, ctx);
  const stdout = ctx.out.join('');
  const stderr = ctx.err.join('');
  return {
    code,
    stdout,
    stderr,
    json: <T>() => {
      try {
        return JSON.parse(stdout) as T;
      } catch {
        throw new Error(`stdout is not one JSON document:\n${stdout}\nstderr:\n${stderr}`);
      }
    },
  };
}

/** A fresh temporary directory, removed by the returned function. */
export async function tempDir(
  prefix = 'recon-cli-',
): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
