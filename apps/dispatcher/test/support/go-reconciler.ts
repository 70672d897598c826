/**
 * A reconciler as a Go team would write it against the workqueue proto, with no SDK: a raw
 * grpc-js server whose service definition is built here, by hand, from the generated message
 * codecs (`/chainguard.workqueue.WorkqueueService/Process`). Answers are scripted per key.
 *
 * Two decoders:
 * - `full`: the generated ProcessRequest codec, which knows our ext fields (attempt, max_attempts,
 *   deadline_unix_ms);
 * - `upstream`: a hand-written decoder that knows only upstream's fields (key = 1, priority = 2,
 *   delay_seconds = 3) and skips everything else, as a Go reconciler built from the upstream proto
 *   does; its answers carry upstream fields only.
 *
 * Every call is recorded with its interval, and overlapping calls of one key are counted live.
 */
import {
  Metadata,
  Server,
  ServerCredentials,
  status as GrpcCode,
  type MethodDefinition,
  type ServerUnaryCall,
  type ServiceDefinition,
  type sendUnaryData,
} from '@grpc/grpc-js';
import { BinaryReader, BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import {
  NoRetryDetails,
  ProcessRequest,
  ProcessResponse,
  QueueKeyRequest,
  RpcStatus,
  type Any,
} from '@recon/proto';

export const processPath = '/chainguard.workqueue.WorkqueueService/Process';
export const noRetryTypeUrl = 'type.googleapis.com/chainguard.workqueue.NoRetryDetails';

/** What one call asks the reconciler, as this reconciler decoded it. */
export interface ReconcileRequest {
  key: string;
  priority: number;
  /** ext fields; 0 when not sent or (upstream mode) not understood. */
  attempt: number;
  maxAttempts: number;
  deadlineUnixMs: number;
  /** Field numbers on the wire, in order (upstream mode reports the ones it skipped too). */
  wireFields: number[];
}

export interface FollowUp {
  key: string;
  priority?: number;
  delaySeconds?: number;
}

/** A scripted answer. */
export type Reply =
  | {
      kind: 'ok';
      requeueAfterSeconds?: number;
      requeueAfterMs?: number;
      floor?: boolean;
      followUps?: FollowUp[];
    }
  | { kind: 'error'; code: GrpcCode; message: string; noRetry?: string }
  /** Never answers on its own: waits until `release(key)` or until the caller cancels. */
  | { kind: 'hold'; then?: Reply };

type OkReply = Extract<Reply, { kind: 'ok' }>;

export const reply = {
  ok: (): Reply => ({ kind: 'ok' }),
  requeueAfter: (seconds: number, options: { floor?: boolean; ms?: number } = {}): Reply => ({
    kind: 'ok',
    requeueAfterSeconds: seconds,
    ...(options.ms !== undefined ? { requeueAfterMs: options.ms } : {}),
    ...(options.floor ? { floor: true } : {}),
  }),
  followUps: (followUps: FollowUp[]): Reply => ({ kind: 'ok', followUps }),
  error: (code: GrpcCode, message: string): Reply => ({ kind: 'error', code, message }),
  /** Go's NonRetriableError: a NoRetryDetails status detail; the code is whatever Go sends. */
  noRetry: (message: string, code: GrpcCode = GrpcCode.UNKNOWN): Reply => ({
    kind: 'error',
    code,
    message,
    noRetry: message,
  }),
  hold: (then?: Reply): Reply => (then ? { kind: 'hold', then } : { kind: 'hold' }),
};

export interface CallRecord {
  request: ReconcileRequest;
  /** Date.now() when the handler was entered / when it answered or saw the cancel. */
  start: number;
  end?: number;
  result?: 'answered' | 'cancelled';
  /** The answer given (absent while held). */
  reply?: Reply;
}

export type Script =
  Reply[] | ((request: ReconcileRequest, call: number) => Reply | Promise<Reply>);

export interface GoReconcilerOptions {
  decode?: 'full' | 'upstream';
  /** Work time of each call before it answers (ms), e.g. to widen overlap windows. */
  workMs?: () => number;
}

export interface GoReconciler {
  readonly url: string;
  readonly port: number;
  readonly calls: CallRecord[];
  /** Calls of one key, in arrival order. */
  callsOf(key: string): CallRecord[];
  /** Calls entered and not yet ended, by key. */
  readonly active: ReadonlyMap<string, number>;
  /** Keys seen in two calls at once (should stay empty). */
  readonly overlaps: string[];
  /** Answers for `key`: each call takes the next reply; the last one repeats. Default ok. */
  script(key: string, script: Script): void;
  /** Lets a held call of `key` answer (with its `then`, default ok). */
  release(key: string): void;
  /** Resolves when `key` has been called `count` times (counting from the first call ever). */
  waitForCalls(key: string, count: number, timeoutMs?: number): Promise<CallRecord>;
  close(): Promise<void>;
}

export async function startGoReconciler(options: GoReconcilerOptions = {}): Promise<GoReconciler> {
  const mode = options.decode ?? 'full';
  const calls: CallRecord[] = [];
  const scripts = new Map<string, Script>();
  const counts = new Map<string, number>();
  const active = new Map<string, number>();
  const overlaps: string[] = [];
  const held = new Map<string, Array<() => void>>();
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const w of [...waiters]) w();
  };

  const definition: ServiceDefinition = {
    Process: {
      path: processPath,
      requestStream: false,
      responseStream: false,
      // The client half of a method definition; this server never uses it.
      requestSerialize: ({ wireFields: _, ...m }: ReconcileRequest) =>
        Buffer.from(ProcessRequest.encode({ ...m, delaySeconds: 0 }).finish()),
      requestDeserialize: (bytes: Buffer): ReconcileRequest =>
        mode === 'full' ? decodeFull(bytes) : decodeUpstream(bytes),
      responseSerialize: (r: OkReply) => (mode === 'full' ? encodeFull(r) : encodeUpstream(r)),
      responseDeserialize: (bytes: Buffer): OkReply => {
        const r = ProcessResponse.decode(bytes);
        return {
          kind: 'ok',
          requeueAfterSeconds: r.requeueAfterSeconds,
          requeueAfterMs: r.requeueAfterMs,
          floor: r.requeueFloor,
          followUps: r.queueKeys,
        };
      },
    } satisfies MethodDefinition<ReconcileRequest, OkReply>,
  };

  /** Runs synchronously at call entry: a script replaced afterwards does not change this call. */
  const choose = (request: ReconcileRequest, n: number): Reply | Promise<Reply> => {
    const script = scripts.get(request.key);
    if (!script) return reply.ok();
    if (typeof script === 'function') return script(request, n);
    return script[Math.min(n, script.length - 1)] ?? reply.ok();
  };

  const handler = (
    call: ServerUnaryCall<ReconcileRequest, unknown>,
    callback: sendUnaryData<OkReply>,
  ) => {
    const request = call.request;
    const record: CallRecord = { request, start: Date.now() };
    calls.push(record);
    const n = counts.get(request.key) ?? 0;
    counts.set(request.key, n + 1);
    const running = (active.get(request.key) ?? 0) + 1;
    active.set(request.key, running);
    if (running > 1) overlaps.push(request.key);
    notify();

    let ended = false;
    const end = (result: 'answered' | 'cancelled') => {
      if (ended) return false;
      ended = true;
      record.end = Date.now();
      record.result = result;
      const left = (active.get(request.key) ?? 1) - 1;
      if (left === 0) active.delete(request.key);
      else active.set(request.key, left);
      notify();
      return true;
    };
    let cancelled: () => void = () => {};
    const whenCancelled = new Promise<void>((resolve) => (cancelled = resolve));
    call.on('cancelled', () => {
      end('cancelled');
      cancelled();
    });

    const answer = (r: Reply) => {
      if (!end('answered')) return;
      record.reply = r;
      if (r.kind === 'ok') callback(null, r);
      else if (r.kind === 'error') callback(errorStatus(r));
    };

    let chosen: Reply | Promise<Reply>;
    try {
      chosen = choose(request, n);
    } catch (err) {
      chosen = Promise.reject(err as Error);
    }
    void (async () => {
      try {
        let r = await chosen;
        const work = options.workMs?.() ?? 0;
        if (work > 0)
          await Promise.race([new Promise((res) => setTimeout(res, work)), whenCancelled]);
        if (r.kind === 'hold') {
          const then = r.then ?? reply.ok();
          await Promise.race([
            new Promise<void>((resolve) => {
              const list = held.get(request.key) ?? [];
              list.push(resolve);
              held.set(request.key, list);
            }),
            whenCancelled,
          ]);
          r = then;
        }
        answer(r);
      } catch (err) {
        answer(reply.error(GrpcCode.INTERNAL, `test reconciler failed: ${String(err)}`));
      }
    })();
  };

  const server = new Server();
  server.addService(definition, { Process: handler });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    calls,
    callsOf: (key) => calls.filter((c) => c.request.key === key),
    active,
    overlaps,
    script: (key, script) => void scripts.set(key, script),
    release(key) {
      const list = held.get(key) ?? [];
      held.delete(key);
      for (const resolve of list) resolve();
    },
    waitForCalls(key, count, timeoutMs = 15_000) {
      return new Promise<CallRecord>((resolve, reject) => {
        const check = () => {
          const mine = calls.filter((c) => c.request.key === key);
          const hit = mine[count - 1];
          if (hit) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(hit);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `${key}: ${counts.get(key) ?? 0} calls after ${timeoutMs} ms, wanted ${count}`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const key of [...held.keys()]) {
          for (const r of held.get(key) ?? []) r();
        }
        server.tryShutdown(() => resolve());
        setTimeout(() => server.forceShutdown(), 1000).unref();
      }),
  };
}

/** The generated codec, ext fields included. */
function decodeFull(bytes: Buffer): ReconcileRequest {
  const m = ProcessRequest.decode(bytes);
  return {
    key: m.key,
    priority: m.priority,
    attempt: m.attempt,
    maxAttempts: m.maxAttempts,
    deadlineUnixMs: m.deadlineUnixMs,
    wireFields: wireFieldsOf(bytes),
  };
}

/** Upstream's ProcessRequest only: key = 1, priority = 2, delay_seconds = 3; the rest is skipped. */
function decodeUpstream(bytes: Buffer): ReconcileRequest {
  const reader = new BinaryReader(bytes);
  const request: ReconcileRequest = {
    key: '',
    priority: 0,
    attempt: 0,
    maxAttempts: 0,
    deadlineUnixMs: 0,
    wireFields: [],
  };
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    request.wireFields.push(field);
    if (field === 1 && wireType === WireType.LengthDelimited) request.key = reader.string();
    else if (field === 2 && wireType === WireType.Varint) request.priority = Number(reader.int64());
    else if (field === 3 && wireType === WireType.Varint) reader.int64();
    else reader.skip(wireType, field);
  }
  return request;
}

function wireFieldsOf(bytes: Uint8Array): number[] {
  const reader = new BinaryReader(bytes);
  const fields: number[] = [];
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    fields.push(field);
    reader.skip(wireType, field);
  }
  return fields;
}

function encodeFull(r: OkReply): Buffer {
  return Buffer.from(
    ProcessResponse.encode({
      requeueAfterSeconds: r.requeueAfterSeconds ?? 0,
      queueKeys: (r.followUps ?? []).map((f) => ({
        key: f.key,
        priority: f.priority ?? 0,
        delaySeconds: f.delaySeconds ?? 0,
      })),
      requeueFloor: r.floor ?? false,
      requeueAfterMs: r.requeueAfterMs ?? 0,
    }).finish(),
  );
}

/** Upstream's ProcessResponse: requeue_after_seconds = 1, queue_keys = 2, requeue_floor = 3. */
function encodeUpstream(r: OkReply): Buffer {
  if (r.requeueAfterMs !== undefined)
    throw new Error('an upstream reconciler cannot send requeue_after_ms');
  const w = new BinaryWriter();
  if (r.requeueAfterSeconds) w.tag(1, WireType.Varint).int64(r.requeueAfterSeconds);
  for (const f of r.followUps ?? []) {
    w.tag(2, WireType.LengthDelimited).bytes(
      QueueKeyRequest.encode({
        key: f.key,
        priority: f.priority ?? 0,
        delaySeconds: f.delaySeconds ?? 0,
      }).finish(),
    );
  }
  if (r.floor) w.tag(3, WireType.Varint).bool(true);
  return Buffer.from(w.finish());
}

/** A failed call; with `noRetry`, the google.rpc.Status Go attaches for a NonRetriableError. */
function errorStatus(r: Extract<Reply, { kind: 'error' }>): {
  code: GrpcCode;
  details: string;
  metadata?: Metadata;
} {
  if (r.noRetry === undefined) return { code: r.code, details: r.message };
  const detail: Any = {
    typeUrl: noRetryTypeUrl,
    value: Buffer.from(NoRetryDetails.encode({ message: r.noRetry }).finish()),
  };
  const metadata = new Metadata();
  metadata.set(
    'grpc-status-details-bin',
    Buffer.from(RpcStatus.encode({ code: r.code, message: r.message, details: [detail] }).finish()),
  );
  return { code: r.code, details: r.message, metadata };
}
