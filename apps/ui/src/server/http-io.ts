/** Reading JSON bodies and writing JSON answers on plain node:http. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { InvalidArgumentError } from '@recon/core';
import { BadBodyError } from './http-errors.ts';

/** Headers on every answer: nothing cached, nothing sniffed, never framed elsewhere. */
export const baseHeaders = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
} as const;

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...baseHeaders,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Reads a JSON object body of at most `limit` bytes. */
export async function readJsonObject(
  req: IncomingMessage,
  limit: number,
): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BadBodyError(413, `body is larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new InvalidArgumentError('body', 'is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidArgumentError('body', 'must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}
