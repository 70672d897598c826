// Reading request bodies and writing replies. Handlers return a `Reply` value instead of
// writing to the socket, so the server can count it, or drop it as an injected fault.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OperationName } from './counters.ts';
import { HttpError, errorBody } from './errors.ts';

export interface Reply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string | number>>;
  /** A Buffer is sent as is; anything else as JSON. */
  readonly body?: Buffer | object;
  /** The billable operation this answer completes (undefined: nothing to count). */
  readonly operation?: OperationName;
}

/** What a handler sees of a request. */
export interface ApiRequest {
  readonly method: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
  /** `http://host:port` as the client reached us, for links in resources. */
  readonly baseUrl: string;
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('error', reject);
    // A client that goes away mid-body: nothing is applied.
    req.on('close', () => {
      if (!req.complete) reject(new Error('request aborted before its body was complete'));
    });
  });
}

export function jsonReply(status: number, body: object, operation?: OperationName): Reply {
  return operation ? { status, body, operation } : { status, body };
}

export function errorReply(err: unknown, operation?: OperationName): Reply {
  const e = HttpError.is(err)
    ? err
    : new HttpError(500, 'internalError', `internal error: ${String(err)}`);
  const reply: Reply =
    e.status === 304
      ? { status: 304 }
      : { status: e.status, body: errorBody(e.status, e.reason, e.message) };
  return operation ? { ...reply, operation } : reply;
}

export function sendReply(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string | number> = { ...reply.headers };
  let payload: Buffer | undefined;
  if (Buffer.isBuffer(reply.body)) {
    payload = reply.body;
  } else if (reply.body !== undefined) {
    payload = Buffer.from(JSON.stringify(reply.body));
    headers['content-type'] = 'application/json; charset=UTF-8';
  }
  if (reply.status !== 204 && reply.status !== 304)
    headers['content-length'] = payload?.length ?? 0;
  res.writeHead(reply.status, headers);
  res.end(reply.status === 204 || reply.status === 304 ? undefined : payload);
}
