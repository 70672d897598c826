/**
 * `recon dev --example --json` as a child process, the way a person runs it, over a bucket
 * seeded beforehand (the dev stack persists its bucket under `<dir>/gcs`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createStorage } from '@recon/backends';
import { startGcsEmulator } from '@recon/gcs-emulator';
import { GcsBackend } from '@recon/workqueue-gcs';
import { repoRoot } from './browser.ts';

export interface DevReady {
  event: 'ready';
  receiver: string;
  dispatcher: string;
  storage: string;
  bucket: string;
  ui?: string;
}

/** Puts `keys` in the dead-letter queue of the dev bucket under `dir`. */
export async function seedDeadLetters(dir: string, keys: readonly string[]): Promise<void> {
  await mkdir(join(dir, 'gcs'), { recursive: true });
  const emulator = await startGcsEmulator({ port: 0, dataDir: join(dir, 'gcs') });
  const queue = new GcsBackend({ storage: createStorage(emulator.url), bucket: 'recon-dev' });
  try {
    for (const key of keys) {
      await queue.enqueue({ key });
      const listing = await queue.listEligible(100);
      const entry = listing.keys.find((k) => k.key === key);
      const owned = entry && (await queue.start(entry, 'seed'));
      if (!owned) throw new Error(`could not start ${key}`);
      await owned.deadLetter('seeded: failed before this run');
    }
  } finally {
    await queue.close();
    await emulator.close();
  }
}

export interface DevProcess {
  ready: DevReady;
  child: ChildProcess;
  /** Ctrl-C, then waits for the exit. */
  stop(): Promise<void>;
}

export async function startReconDev(dir: string, timeoutMs = 30_000): Promise<DevProcess> {
  const child = spawn(
    process.execPath,
    ['apps/cli/src/bin.ts', 'dev', '--example', '--port', '0', '--dir', dir, '--json'],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const ready = await new Promise<DevReady>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`recon dev not ready: ${stderr}`)), timeoutMs);
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      try {
        const parsed = JSON.parse(line) as { event?: string };
        if (parsed.event === 'ready') {
          clearTimeout(timer);
          resolve(parsed as DevReady);
        }
      } catch {
        // a log line that is not JSON
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`recon dev exited with ${code}: ${stderr}`));
    });
  });
  return {
    ready,
    child,
    async stop() {
      if (child.exitCode === null) child.kill('SIGINT');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** A second client on the running stack's bucket, to read what the store holds. */
export function storeOf(ready: DevReady): GcsBackend {
  return new GcsBackend({ storage: createStorage(ready.storage), bucket: ready.bucket });
}
