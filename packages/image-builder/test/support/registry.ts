// Runs Debian's `docker-registry` (CNCF distribution 2.8) on 127.0.0.1 with filesystem storage in a
// temp dir and no auth. CI: `apt-get install -y docker-registry`.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const REGISTRY_BINARY = 'docker-registry';
export const REGISTRY_APT_PACKAGE = 'docker-registry';

/** Absolute path of `docker-registry` on PATH, or undefined. */
export function findRegistryBinary(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, REGISTRY_BINARY);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** Warns once, visibly, and returns whether registry-backed tests can run. */
export function registryAvailable(suite: string): boolean {
  const found = findRegistryBinary() !== undefined;
  if (!found) {
    console.warn(
      `[image-builder] SKIPPING ${suite}: \`${REGISTRY_BINARY}\` is not on PATH ` +
        `(install it with: apt-get install -y ${REGISTRY_APT_PACKAGE}).`,
    );
  }
  return found;
}

export interface LocalRegistry {
  /** `127.0.0.1:<port>`, as written in image references. */
  readonly host: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function configYaml(root: string, port: number): string {
  return [
    'version: 0.1',
    'log:',
    '  level: info',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${JSON.stringify(root)}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    `  secret: image-builder-test`,
    '',
  ].join('\n');
}

/** Resolves once the registry logs that it listens; rejects if it exits first. */
function waitListening(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('listening on')) finish();
    };
    const onExit = (code: number | null): void =>
      finish(new Error(`registry exited (${code}): ${output}`));
    const timer = setTimeout(() => finish(new Error(`registry not ready: ${output}`)), timeoutMs);
    function finish(err?: Error): void {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve();
    }
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

async function startOnce(binary: string, dir: string): Promise<LocalRegistry> {
  const port = await freePort();
  const configPath = path.join(dir, 'config.yml');
  await writeFile(configPath, configYaml(path.join(dir, 'data'), port));
  const child = spawn(binary, ['serve', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    await waitListening(child, 10_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  // Keep draining the logs so the child never blocks on a full pipe.
  child.stdout?.resume();
  child.stderr?.resume();
  return {
    host: `127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

/** Starts a registry on a free port (retrying if another process takes the port first). */
export async function startRegistry(): Promise<LocalRegistry> {
  const binary = findRegistryBinary();
  if (binary === undefined) throw new Error(`${REGISTRY_BINARY} is not on PATH`);
  const dir = await mkdtemp(path.join(tmpdir(), 'image-builder-registry-'));
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const registry = await startOnce(binary, dir);
      return {
        host: registry.host,
        async stop() {
          await registry.stop();
          await rm(dir, { recursive: true, force: true });
        },
      };
    } catch (err) {
      lastError = err;
    }
  }
  await rm(dir, { recursive: true, force: true });
  throw lastError;
}
