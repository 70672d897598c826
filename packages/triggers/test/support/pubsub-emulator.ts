/**
 * The real Pub/Sub emulator from the Google Cloud CLI, started once per test file on a free port
 * of 127.0.0.1 and killed afterwards (its script execs java, so the pid we hold is the JVM).
 * Resolves undefined, with a visible message, where the emulator is not installed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { PubSub } from '@google-cloud/pubsub';

const script = '/usr/lib/google-cloud-sdk/platform/pubsub-emulator/bin/cloud-pubsub-emulator';

export interface PubsubEmulator {
  /** `127.0.0.1:<port>`, for PUBSUB_EMULATOR_HOST. */
  host: string;
  projectId: string;
  pubsub: PubSub;
  stop(): Promise<void>;
}

export function emulatorAvailable(): boolean {
  const ok = existsSync(script);
  if (!ok) console.warn(`SKIPPED: Pub/Sub emulator not found at ${script}`);
  return ok;
}

export async function startPubsubEmulator(projectId = 'test'): Promise<PubsubEmulator> {
  const port = await freePort();
  const child = spawn(script, [`--host=127.0.0.1`, `--port=${port}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  try {
    await waitForPort(port, child, 30_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`Pub/Sub emulator did not start: ${String(err)}\n${output}`);
  }
  const host = `127.0.0.1:${port}`;
  const pubsub = new PubSub({ projectId, apiEndpoint: host, emulatorMode: true });
  return {
    host,
    projectId,
    pubsub,
    async stop() {
      await pubsub.close();
      await stopChild(child);
    },
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('timed out');
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
