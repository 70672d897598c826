/**
 * Runs the dispatcher's entry file (`src/main.ts`) as a real child process, with the same Node
 * that runs the tests. Every child is killed (SIGKILL) after its test, and when the test process
 * exits, so a failing test never leaves a dispatcher behind.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';

export const dispatcherMain = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

export interface LogLine {
  severity?: string;
  message?: string;
  [field: string]: unknown;
}

export interface ChildService {
  readonly pid: number;
  readonly logs: LogLine[];
  /** Everything written to stderr so far. */
  stderr(): string;
  /** Resolves with the exit code / signal, and when it happened (Date.now()). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  /** Resolves with the first log line (JSON on stdout) that matches. */
  waitForLog(match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  kill(signal: NodeJS.Signals): void;
}

const live = new Set<ChildProcessByStdio<null, Readable, Readable>>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** Spawns children for the current test; whatever still runs after it is killed. */
export function useProcesses(): {
  spawnMain(file: string, env: Record<string, string>): ChildService;
} {
  const mine = new Set<ChildProcessByStdio<null, Readable, Readable>>();
  afterEach(async () => {
    const running = [...mine].filter((c) => c.exitCode === null && c.signalCode === null);
    for (const child of running) child.kill('SIGKILL');
    await Promise.all(running.map((c) => once(c, 'exit')));
    mine.clear();
  });
  return {
    spawnMain(file, env) {
      const child = spawn(process.execPath, [file], {
        env: { PATH: process.env['PATH'] ?? '', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      live.add(child);
      mine.add(child);
      const logs: LogLine[] = [];
      const listeners = new Set<() => void>();
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      createInterface({ input: child.stdout }).on('line', (line) => {
        try {
          logs.push(JSON.parse(line) as LogLine);
        } catch {
          logs.push({ message: line });
        }
        for (const l of [...listeners]) l();
      });
      const exited = new Promise<{
        code: number | null;
        signal: NodeJS.Signals | null;
        at: number;
      }>((resolve) =>
        child.once('exit', (code, signal) => {
          live.delete(child);
          resolve({ code, signal, at: Date.now() });
          for (const l of [...listeners]) l();
        }),
      );
      return {
        pid: child.pid ?? -1,
        logs,
        stderr: () => stderr,
        exited,
        kill: (signal) => void child.kill(signal),
        waitForLog(match, timeoutMs = 15_000) {
          return new Promise<LogLine>((resolve, reject) => {
            const check = () => {
              const hit = logs.find(match);
              if (hit) {
                done();
                resolve(hit);
              } else if (child.exitCode !== null || child.signalCode !== null) {
                done();
                reject(
                  new Error(
                    `process exited (${child.exitCode ?? child.signalCode}) before the log line; stderr:\n${stderr}`,
                  ),
                );
              }
            };
            const timer = setTimeout(() => {
              done();
              reject(new Error(`no matching log line after ${timeoutMs} ms; stderr:\n${stderr}`));
            }, timeoutMs);
            const done = () => {
              clearTimeout(timer);
              listeners.delete(check);
            };
            listeners.add(check);
            check();
          });
        },
      };
    },
  };
}
