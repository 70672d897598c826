import type { IncomingMessage, ServerResponse } from 'node:http';
import { ReconError } from '@recon/core';

/** A request body over the limit; answer 413. */
export class BodyTooLargeError extends ReconError {
  static override readonly code = 'BODY_TOO_LARGE';
}

/** The raw request body (signatures are computed over these exact bytes), at most `limitBytes`. */
export async function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) {
    req.resume();
    throw new BodyTooLargeError(`body of ${declared} bytes is over the ${limitBytes}-byte limit`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limitBytes) {
      req.resume();
      throw new BodyTooLargeError(`body is over the ${limitBytes}-byte limit`);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** Writes a short plain-text (or JSON) answer. */
export function reply(res: ServerResponse, status: number, body: string | object): void {
  const json = typeof body !== 'string';
  res.writeHead(status, {
    'content-type': json ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8',
  });
  res.end(json ? JSON.stringify(body) : `${body}\n`);
}

/** The path of a request, without its query. */
export function requestPath(req: IncomingMessage): string {
  return (req.url ?? '/').split('?')[0] ?? '/';
}
