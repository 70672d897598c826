/**
 * The JSON API under `<basePath>/api/`. Reads: overview, keys (one state, by prefix, paginated),
 * key (every copy plus "why isn't it running?"), events (SSE). Writes (POST, guarded): enqueue,
 * reenqueue, bump, run-now.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { NotFoundError } from '@recon/core';
import { bumpPriority, enqueueKey, reenqueue, runNow, type ActionContext } from './actions.ts';
import { explainKey } from './explain-key.ts';
import { MethodNotAllowedError } from './http-errors.ts';
import { readJsonObject, sendJson } from './http-io.ts';
import {
  parseBump,
  parseEnqueue,
  parseKeyQuery,
  parseListQuery,
  parseReenqueue,
  parseRunNow,
  stateNames,
  type Body,
} from './inputs.ts';
import { readKeyCopies } from './key-copies.ts';
import type { Live } from './live.ts';
import type { ResolvedUiOptions } from './options.ts';
import { guardWrite } from './write-guard.ts';

export interface ApiContext {
  o: ResolvedUiOptions;
  live: Live;
}

type Read = (ctx: ApiContext, url: URL, res: ServerResponse) => Promise<void> | void;
type Write = (ctx: ApiContext, body: Body) => Promise<unknown>;

const reads: Record<string, Read> = {
  overview: async ({ live }, _url, res) => sendJson(res, 200, await live.overview(500)),
  keys: async ({ o }, url, res) => {
    const q = parseListQuery(url.searchParams);
    const options = {
      prefix: q.prefix,
      limit: q.limit,
      ...(q.pageToken ? { pageToken: q.pageToken } : {}),
    };
    const page = await o.queue.list(stateNames[q.state], options);
    sendJson(res, 200, { state: q.state, prefix: q.prefix, now: o.clock.now(), ...page });
  },
  key: async ({ o }, url, res) => {
    const key = parseKeyQuery(url.searchParams);
    const copies = await readKeyCopies(o.queue, key);
    const now = o.clock.now();
    const dispatcher = o.dispatcher
      ? { concurrency: o.dispatcher.concurrency, inFlight: o.dispatcher.inFlight() }
      : undefined;
    const explanation = explainKey(copies, { now, ...(dispatcher ? { dispatcher } : {}) });
    sendJson(res, 200, { now, readOnly: o.readOnly, ...copies, explanation });
  },
  events: ({ live }, _url, res) => live.subscribe(res),
};

const writes: Record<string, Write> = {
  enqueue: async (ctx, body) => {
    const out = await enqueueKey(actionContext(ctx), parseEnqueue(body));
    if (out.result === 'added') ctx.live.countAdded(1);
    return out;
  },
  reenqueue: async (ctx, body) => {
    const out = await reenqueue(actionContext(ctx), parseReenqueue(body));
    ctx.live.countAdded(out.reenqueued.length);
    return out;
  },
  bump: (ctx, body) => bumpPriority(actionContext(ctx), parseBump(body)),
  'run-now': (ctx, body) => runNow(actionContext(ctx), parseRunNow(body).key),
};

/** Answers one `/api/<name>` request; throws for the caller's error mapping. */
export async function handleApi(
  ctx: ApiContext,
  name: string,
  url: URL,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const read = Object.hasOwn(reads, name) ? reads[name] : undefined;
  const write = Object.hasOwn(writes, name) ? writes[name] : undefined;
  if (!read && !write) throw new NotFoundError(`no API ${name}`);
  if (read) {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new MethodNotAllowedError('GET');
    await read(ctx, url, res);
    return;
  }
  if (req.method !== 'POST') throw new MethodNotAllowedError('POST');
  guardWrite(req, ctx.o.readOnly);
  const body = await readJsonObject(req, ctx.o.maxBodyBytes);
  const result = await (write as Write)(ctx, body);
  ctx.live.poke();
  try {
    ctx.o.onWrite();
  } catch {
    // A failing hook must not turn a stored write into an error answer.
  }
  sendJson(res, 200, result);
}

function actionContext(ctx: ApiContext): ActionContext {
  return { queue: ctx.o.queue, clock: ctx.o.clock };
}
