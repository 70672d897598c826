// The HTTP front: control endpoints, then for API requests the fault decision, routing,
// counting, and the answer (or a dropped connection).

import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { dispatch } from './api.ts';
import type { ApiContext } from './api-context.ts';
import type { ControlDeps } from './control.ts';
import { CONTROL_PREFIX, handleControl } from './control.ts';
import { errorBody } from './errors.ts';
import type { ApiRequest, Reply } from './http-io.ts';
import { errorReply, readBody, sendReply } from './http-io.ts';
import { applyFieldMask, parseFieldMask, type FieldMask } from './partial-response.ts';
import type { Route } from './routes.ts';
import { parseRoute, routeOperation } from './routes.ts';

export interface ServerDeps extends ControlDeps {
  readonly api: ApiContext;
  readonly log: (line: string) => void;
}

/** Idle keep-alive sockets outlive the client's pool, so a reused socket is never closed under it. */
const KEEP_ALIVE_MS = 65_000;

export function createEmulatorServer(deps: ServerDeps): Server {
  const server = createServer((req, res) => {
    handle(deps, req, res).catch((err: unknown) => {
      if (req.destroyed && !req.complete) return; // the client left; nobody to answer
      deps.log(`gcs-emulator: request failed: ${String(err)}`);
      if (!res.headersSent) sendReply(res, errorReply(err));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1000;
  return server;
}

async function handle(deps: ServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const rawPath = q < 0 ? url : url.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
  const method = req.method ?? 'GET';

  if (rawPath.startsWith(CONTROL_PREFIX)) {
    const body = await readBody(req);
    let reply: Reply;
    try {
      reply = handleControl(deps, method, rawPath, body);
    } catch (err) {
      reply = errorReply(err);
    }
    sendReply(res, reply);
    return;
  }

  const fault = deps.faults.decide();
  if (fault.latencyMs > 0) await sleep(fault.latencyMs);
  if (fault.action.kind === 'drop-before') {
    req.socket.destroy();
    return;
  }
  const body = await readBody(req);
  if (fault.action.kind === 'error') {
    const status = fault.action.status;
    const reason = status === 429 ? 'rateLimitExceeded' : 'backendError';
    sendReply(res, { status, body: errorBody(status, reason, `injected fault (HTTP ${status})`) });
    return;
  }

  const apiReq: ApiRequest = {
    method,
    query,
    headers: req.headers,
    body,
    baseUrl: `http://${req.headers.host ?? 'localhost'}`,
  };
  let route: Route | undefined;
  let reply: Reply;
  try {
    route = parseRoute(method, rawPath, query);
    // A malformed selection is refused before anything is applied.
    const fields = query.get('fields');
    const mask = fields === null ? undefined : parseFieldMask(fields);
    reply = selectFields(await dispatch(deps.api, apiReq, route), mask);
  } catch (err) {
    reply = errorReply(err, route && routeOperation(route));
    if (reply.status >= 500) deps.log(`gcs-emulator: ${method} ${url}: ${String(err)}`);
  }
  // An applied operation is billed even when its answer is then lost.
  if (reply.operation) deps.counters.record(reply.operation, reply.status);
  if (fault.action.kind === 'drop-after') {
    req.socket.destroy();
    return;
  }
  sendReply(res, reply);
}

/** Applies a `fields` selection to a successful JSON answer (media and errors stay whole). */
function selectFields(reply: Reply, mask: FieldMask | undefined): Reply {
  if (!mask || reply.status >= 300 || reply.body === undefined || Buffer.isBuffer(reply.body)) {
    return reply;
  }
  return { ...reply, body: applyFieldMask(reply.body, mask) as object };
}
