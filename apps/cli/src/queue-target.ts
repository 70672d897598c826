/**
 * Which queue a command acts on, and the ports to reach it.
 *
 * - `--queue NAME` (or RECON_QUEUE): a queue of recon.config.json `queues` (bucket, receiver, project);
 * - `--bucket B` / `--receiver URL`: that bucket (real GCS with ambient credentials, or the emulator
 *   at STORAGE_EMULATOR_HOST) and that receiver (gRPC), overriding the configured ones;
 * - nothing: the local store of `recon dev` under `.recon/`. While `recon dev` runs (its
 *   `.recon/dev.json` names a live process) reads go to its emulator and enqueues through its
 *   receiver, which wakes the dispatcher; otherwise the store is opened directly, through an
 *   emulator started for the command's duration (never two writers on one directory).
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { Storage } from '@google-cloud/storage';
import { createStorage, emulatorEndpoint } from '@recon/backends';
import {
  InvalidArgumentError,
  KeyStatus,
  NotFoundError,
  UnavailableError,
  type EnqueueResult,
  type KeyStateView,
  type ValidEnqueue,
  type WorkqueueBackend,
} from '@recon/core';
import { startGcsEmulator } from '@recon/gcs-emulator';
import {
  createWorkqueueClient,
  fromGrpcError,
  KeyState_Status,
  WorkqueueRpcError,
  type WorkqueueClient,
} from '@recon/proto';
import { GcsBackend } from '@recon/workqueue-gcs';
import type { Command } from 'commander';
import type { CliContext } from './context.ts';
import { CommandError, UsageError } from './errors.ts';
import { readProjectConfig, type QueueRef } from './project-config.ts';

export interface QueueFlags {
  queue?: string;
  bucket?: string;
  receiver?: string;
  dir: string;
}

/** What a running `recon dev` writes to `<dir>/dev.json`. */
export interface DevState {
  pid: number;
  receiver: string;
  dispatcher?: string;
  reconciler?: string;
  storage: string;
  bucket: string;
}

export type QueueTargetKind = 'dev' | 'local' | 'bucket' | 'receiver';

/** The store a command reads: stats, listings, key state, dead-letter moves. */
export type QueueStore = Pick<
  WorkqueueBackend,
  'enqueue' | 'getKeyState' | 'stats' | 'list' | 'reenqueueDeadLetter'
>;

export interface QueueTarget {
  readonly kind: QueueTargetKind;
  /** For humans: `local store .recon/gcs (recon dev is running, pid 42)`. */
  readonly description: string;
  /** The store; CommandError when only a receiver is known. */
  store(): QueueStore;
  /** Enqueues through the receiver when there is one (`sent`), else into the store. */
  enqueue(request: ValidEnqueue, signal?: AbortSignal): Promise<EnqueueResult | 'sent'>;
  /** From the store when there is one (it knows first-queued and last error), else the receiver. */
  getKeyState(key: string, signal?: AbortSignal): Promise<KeyStateView | undefined>;
  close(): Promise<void>;
}

/** The bucket `recon dev` keeps its queue in. */
export const localBucket = 'recon-dev';

export const queueHelp = `
Queue (where the command acts):
  --queue NAME      a queue named in recon.config.json "queues" (default: $RECON_QUEUE)
  --bucket B        the queue in bucket B (Google Cloud Storage with your credentials,
                    or the emulator at $STORAGE_EMULATOR_HOST)
  --receiver URL    the queue's receiver, over gRPC
  (none)            the local store of \`recon dev\` in .recon/: through its receiver while
                    it runs, otherwise opened directly`;

/** The addressing flags every queue command takes. */
export function addQueueOptions(command: Command): Command {
  return command
    .option('--queue <name>', 'a queue from recon.config.json "queues"')
    .option('--bucket <bucket>', 'act on the queue in this bucket')
    .option('--receiver <url>', 'send enqueues to this receiver (gRPC)')
    .option('--dir <path>', 'the local store of `recon dev`', '.recon');
}

export interface OpenOptions {
  /** The command writes: create the local store when it does not exist yet. Default false. */
  write?: boolean;
}

export async function openQueueTarget(
  flags: QueueFlags,
  ctx: CliContext,
  options: OpenOptions = {},
): Promise<QueueTarget> {
  const queueName = flags.queue ?? ctx.env['RECON_QUEUE'];
  const ref = queueName ? await configuredQueue(queueName, ctx.cwd) : {};
  const bucket = flags.bucket ?? ref.bucket;
  const receiver = flags.receiver ?? ref.receiver;
  if (receiver !== undefined) checkUrl(receiver);
  if (bucket !== undefined) checkBucket(bucket);
  const named = queueName ? `queue ${queueName}: ` : '';
  if (bucket || receiver) {
    const store = bucket
      ? gcsStore(bucket, { emulator: ctx.env['STORAGE_EMULATOR_HOST'], project: ref.project })
      : undefined;
    const where = [bucket && `bucket ${bucket}`, receiver && `receiver ${receiver}`]
      .filter(Boolean)
      .join(', ');
    return target({
      kind: bucket ? 'bucket' : 'receiver',
      description: named + where,
      store,
      receiver: receiver
        ? receiverPort(receiver, 'is the URL right, and reachable from here?')
        : undefined,
      close: async () => store?.close(),
    });
  }
  return openLocal(resolve(ctx.cwd, flags.dir), ctx.cwd, options.write === true);
}

async function configuredQueue(name: string, cwd: string): Promise<QueueRef> {
  const config = await readProjectConfig(cwd);
  if (!config) throw new UsageError(`--queue ${name}: there is no recon.config.json in ${cwd}`);
  const queues = config.queues ?? {};
  const ref = Object.hasOwn(queues, name) ? queues[name] : undefined;
  if (!ref) {
    const known = Object.keys(queues);
    throw new UsageError(
      `no queue ${JSON.stringify(name)} in recon.config.json` +
        (known.length ? ` (queues: ${known.join(', ')})` : ' (it names no queues)'),
    );
  }
  return ref;
}

function checkUrl(url: string): void {
  if (!/^(https?:\/\/)?[^/\s]+(:\d+)?\/?$/.test(url)) {
    throw new UsageError(
      `--receiver must be a URL like http://127.0.0.1:8080 or https://receiver.example.com, got ${JSON.stringify(url)}`,
    );
  }
}

/** Cloud Storage bucket names: 3–63 of a-z 0-9 - _ . , starting and ending with a letter or digit. */
function checkBucket(bucket: string): void {
  if (!/^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new UsageError(
      `--bucket: ${JSON.stringify(bucket)} is not a bucket name (3-63 lowercase letters, digits, -, _ and .)`,
    );
  }
}

/**
 * A person waits on the other end: give up on unreachable storage within seconds, not the
 * minutes a service's retries allow (the client's own retries times the backend's).
 */
const storageRetry = {
  autoRetry: true,
  maxRetries: 2,
  retryDelayMultiplier: 2,
  maxRetryDelay: 1,
  totalTimeout: 15,
};
const backendRetry = { maxAttempts: 2, baseDelayMs: 200, maxDelayMs: 1000 };

function gcsStore(
  bucket: string,
  options: { emulator?: string | undefined; project?: string | undefined },
): GcsBackend {
  const storage = createStorage({
    emulatorHost: options.emulator,
    projectId: options.project,
    retryOptions: storageRetry,
  });
  return new GcsBackend({ storage, bucket, retry: backendRetry });
}

/** The local store: through a running `recon dev`, or opened here. */
async function openLocal(dir: string, cwd: string, write: boolean): Promise<QueueTarget> {
  const shown = relative(cwd, dir) || '.';
  const dev = await readDevState(dir);
  if (dev) {
    const store = gcsStore(dev.bucket, { emulator: dev.storage });
    return target({
      kind: 'dev',
      description: `local store ${join(shown, 'gcs')} (recon dev is running, pid ${dev.pid})`,
      store,
      receiver: receiverPort(dev.receiver, 'is `recon dev` still running?'),
      close: () => store.close(),
    });
  }
  const dataDir = join(dir, 'gcs');
  // A store never created reads as empty (an emulator in memory); the first write creates it.
  const persist = write || existsSync(dataDir);
  if (persist) await mkdir(dataDir, { recursive: true });
  const emulator = await startGcsEmulator({ port: 0, ...(persist ? { dataDir } : {}) });
  const store = gcsStore(localBucket, { emulator: emulator.url });
  return target({
    kind: 'local',
    description: `local store ${join(shown, 'gcs')} (recon dev is not running)`,
    store,
    close: async () => {
      await store.close();
      await emulator.close();
    },
  });
}

/** `<dir>/dev.json` when it names a live process; undefined otherwise (absent or stale). */
export async function readDevState(dir: string): Promise<DevState | undefined> {
  let parsed: Partial<DevState>;
  try {
    parsed = JSON.parse(await readFile(join(dir, 'dev.json'), 'utf8')) as Partial<DevState>;
  } catch {
    return undefined;
  }
  const { pid, receiver, storage, bucket } = parsed;
  if (typeof pid !== 'number' || !receiver || !storage || !bucket || !isAlive(pid))
    return undefined;
  return { ...parsed, pid, receiver, storage, bucket };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface ReceiverPort {
  url: string;
  enqueue(request: ValidEnqueue, signal?: AbortSignal): Promise<void>;
  getKeyState(key: string, signal?: AbortSignal): Promise<KeyStateView | undefined>;
  close(): void;
}

const callTimeoutMs = 10_000;

function receiverPort(url: string, hint: string): ReceiverPort {
  let client: WorkqueueClient | undefined;
  const get = () =>
    (client ??= createWorkqueueClient(url, { enqueueAttempts: 3, retryCapMs: 500 }));
  const unreachable = (err: unknown): unknown => {
    if (UnavailableError.is(err) || (WorkqueueRpcError.is(err) && err.grpcCode === 4)) {
      return new CommandError(`cannot reach the receiver at ${url}: ${hint}`, { cause: err });
    }
    return err;
  };
  return {
    url,
    async enqueue(request, signal) {
      try {
        await get().enqueue(
          {
            key: request.key,
            priority: request.priority,
            delaySeconds: Math.ceil(request.delayMs / 1000),
          },
          { deadline: Date.now() + callTimeoutMs, ...(signal ? { signal } : {}) },
        );
      } catch (err) {
        throw unreachable(err);
      }
    },
    async getKeyState(key, signal) {
      try {
        const state = await get().getKeyState(
          { key },
          { deadline: Date.now() + callTimeoutMs, ...(signal ? { signal } : {}) },
        );
        return fromWire(state);
      } catch (err) {
        const mapped = fromGrpcError(err);
        if (NotFoundError.is(mapped)) return undefined;
        throw unreachable(mapped);
      }
    },
    close: () => client?.close(),
  };
}

function fromWire(state: Awaited<ReturnType<WorkqueueClient['getKeyState']>>): KeyStateView {
  const status =
    state.status === KeyState_Status.IN_PROGRESS
      ? KeyStatus.IN_PROGRESS
      : state.status === KeyState_Status.DEAD_LETTER
        ? KeyStatus.DEAD_LETTER
        : KeyStatus.QUEUED;
  return {
    key: state.key,
    status,
    priority: state.priority,
    attempts: state.attempts,
    queuedAt: state.queuedTime * 1000,
    notBefore: state.notBeforeTime * 1000,
    floor: false,
  };
}

interface TargetParts {
  kind: QueueTargetKind;
  description: string;
  store: GcsBackend | undefined;
  receiver?: ReceiverPort | undefined;
  close(): Promise<void>;
}

function target(parts: TargetParts): QueueTarget {
  const { store } = parts;
  return {
    kind: parts.kind,
    description: parts.description,
    store() {
      if (!store) {
        throw new UsageError(
          'this command reads the queue\'s bucket: pass --bucket, or configure "bucket" for the queue in recon.config.json',
        );
      }
      return store;
    },
    async enqueue(request, signal) {
      if (parts.receiver) {
        await parts.receiver.enqueue(request, signal);
        return 'sent';
      }
      if (!store) throw new InvalidArgumentError('queue', 'no bucket or receiver to enqueue to');
      return store.enqueue(request, signal);
    },
    getKeyState(key, signal) {
      if (store) return store.getKeyState(key, signal);
      if (parts.receiver) return parts.receiver.getKeyState(key, signal);
      throw new InvalidArgumentError('queue', 'no bucket or receiver to read from');
    },
    async close() {
      parts.receiver?.close();
      await parts.close();
    },
  };
}

/** Opens the target, runs `use`, and closes the target whatever happens. */
export async function withQueueTarget<T>(
  flags: QueueFlags,
  ctx: CliContext,
  options: OpenOptions,
  use: (target: QueueTarget) => Promise<T>,
): Promise<T> {
  const opened = await openQueueTarget(flags, ctx, options);
  try {
    return await use(opened);
  } catch (err) {
    if (UnavailableError.is(err)) {
      const hint = opened.kind === 'dev' ? ': is `recon dev` still running?' : '';
      throw new CommandError(
        `cannot reach the storage of ${opened.description}: ${err.message}${hint}`,
        { cause: err },
      );
    }
    throw err;
  } finally {
    await opened.close();
  }
}
