import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

export interface ReconcilerProcess {
  url: string;
  stop(): Promise<void>;
}

/**
 * Serves the user's reconciler file in a child process under `node --watch`, so an edit reloads it
 * (ESM modules cannot be unloaded in-process). Its output is passed through, prefixed.
 */
export async function startReconcilerProcess(options: {
  file: string;
  port: number;
  cwd: string;
  write: (line: string) => void;
  timeoutMs?: number;
}): Promise<ReconcilerProcess> {
  const runner = new URL('./reconciler-runner.ts', import.meta.url).pathname;
  const child = spawn(
    process.execPath,
    ['--watch', '--watch-preserve-output', runner, options.file, String(options.port)],
    {
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: process.env,
    },
  );
  const ready = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new Error(
            `reconciler ${options.file} did not start within ${options.timeoutMs ?? 20_000} ms`,
          ),
        ),
      options.timeoutMs ?? 20_000,
    );
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /reconciler listening on [\d.]+:(\d+)/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      } else {
        options.write(`[reconciler] ${line}`);
      }
    });
    createInterface({ input: child.stderr! }).on('line', (line) =>
      options.write(`[reconciler] ${line}`),
    );
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`reconciler ${options.file} exited with code ${code} before listening`));
    });
  });
  const port = await ready;
  return { url: `http://127.0.0.1:${port}`, stop: () => stopChild(child) };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
