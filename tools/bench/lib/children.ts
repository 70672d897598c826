/**
 * Child processes of the bench and the soak: spawned with the Node that runs us, their output
 * captured line by line (to a log file when asked, and the last lines kept for error reports),
 * and every one of them killed when we exit — normally, on an error, or on SIGINT/SIGTERM.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';

export interface SpawnOptions {
  /** Short name for messages and log prefixes, e.g. `dispatcher-a`. */
  name: string;
  /** Script run by `node` (Node 24 type-strips it), relative to the repository root. */
  script: string;
  args?: string[];
  /** Added to a cleaned copy of our environment (no inherited WORKQUEUE_*, PORT, …). */
  env?: Record<string, string>;
  /** Extra `node` flags, e.g. `--max-old-space-size=256`. */
  nodeFlags?: string[];
  /** Append every output line here. */
  logFile?: string;
  /** Called with every output line (stdout and stderr). */
  onLine?: (line: string) => void;
}

export interface Child {
  readonly name: string;
  readonly pid: number;
  /** Resolves with the exit code, or the signal that ended the process. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly running: boolean;
  /** Resolves with the first value `match` returns for an output line; rejects on exit or timeout. */
  waitFor<T>(match: (line: string) => T | undefined, timeoutMs?: number): Promise<T>;
  /** Sends a signal (no-op when already gone). */
  signal(signal: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
  stop(graceMs?: number): Promise<void>;
  /** The last output lines, for error reports. */
  tail(): string[];
}

/** The repository root: scripts are resolved from here and children run here. */
export const repoRoot = resolve(import.meta.dirname, '../../..');

const live = new Set<Child>();
let hooked = false;

/** Kills every child still running (synchronous: usable from an `exit` handler). */
export function killAllChildren(): void {
  for (const child of live) child.signal('SIGKILL');
}

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', killAllChildren);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      process.stderr.write(`\n${sig}: stopping child processes\n`);
      killAllChildren();
      process.exit(130);
    });
  }
}

const inheritedButUnwanted = /^(WORKQUEUE_|STORAGE_EMULATOR_HOST$|PORT$|HOST$|HEALTH_PORT$|K_)/;

export function spawnChild(options: SpawnOptions): Child {
  hookExit();
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !inheritedButUnwanted.test(k)) env[k] = v;
  }
  Object.assign(env, options.env ?? {});
  const proc: ChildProcessByStdio<null, Readable, Readable> = spawn(
    process.execPath,
    [...(options.nodeFlags ?? []), resolve(repoRoot, options.script), ...(options.args ?? [])],
    { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  if (proc.pid === undefined) throw new Error(`${options.name}: could not spawn ${options.script}`);

  const log: WriteStream | undefined = options.logFile
    ? createWriteStream(options.logFile, { flags: 'a' })
    : undefined;
  const lastLines: string[] = [];
  const listeners = new Set<(line: string) => void>();
  const onLine = (line: string) => {
    lastLines.push(line);
    if (lastLines.length > 40) lastLines.shift();
    log?.write(`${line}\n`);
    options.onLine?.(line);
    for (const l of listeners) l(line);
  };
  for (const stream of [proc.stdout, proc.stderr]) {
    let buffered = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      buffered += chunk;
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        onLine(buffered.slice(0, nl));
        buffered = buffered.slice(nl + 1);
      }
    });
  }

  let running = true;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    proc.once('exit', (code, signal) => {
      running = false;
      live.delete(child);
      log?.end();
      resolve({ code, signal });
    });
  });

  const child: Child = {
    name: options.name,
    pid: proc.pid,
    exited,
    get running() {
      return running;
    },
    waitFor<T>(match: (line: string) => T | undefined, timeoutMs = 20_000): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const done = () => {
          listeners.delete(listener);
          clearTimeout(timer);
        };
        const listener = (line: string) => {
          const found = match(line);
          if (found === undefined) return;
          done();
          resolve(found);
        };
        const timer = setTimeout(() => {
          done();
          reject(
            new Error(`${options.name}: not ready after ${timeoutMs} ms\n${lastLines.join('\n')}`),
          );
        }, timeoutMs);
        listeners.add(listener);
        void exited.then(({ code, signal }) => {
          if (!listeners.has(listener)) return;
          done();
          reject(
            new Error(
              `${options.name} exited (${signal ?? code}) before it was ready\n${lastLines.join('\n')}`,
            ),
          );
        });
      });
    },
    signal(signal) {
      if (running) proc.kill(signal);
    },
    async stop(graceMs = 10_000) {
      if (!running) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
    tail: () => [...lastLines],
  };
  live.add(child);
  return child;
}
