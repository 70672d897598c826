/**
 * Every write passes this guard before its body is read. Read-only mode refuses all writes.
 * Otherwise a write must carry `x-recon-ui: 1` (a custom header: a cross-site form cannot send
 * one, and a cross-site fetch needs a CORS preflight this server never grants), a JSON content
 * type, and, when the browser says where it comes from, the same origin as the page.
 */
import type { IncomingMessage } from 'node:http';
import { BadBodyError, ForbiddenError } from './http-errors.ts';

export const writeHeader = 'x-recon-ui';

export function guardWrite(req: IncomingMessage, readOnly: boolean): void {
  if (readOnly) {
    throw new ForbiddenError('READ_ONLY', 'this UI is read-only: writes are refused');
  }
  if (req.headers[writeHeader] !== '1') {
    throw new ForbiddenError('CSRF', `writes need the header ${writeHeader}: 1`);
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !sameOrigin(origin, req.headers.host)) {
    throw new ForbiddenError('CSRF', `origin ${origin} is not this server's`);
  }
  const site = req.headers['sec-fetch-site'];
  if (origin === undefined && site !== undefined && site !== 'same-origin' && site !== 'none') {
    throw new ForbiddenError('CSRF', `cross-site writes are refused (sec-fetch-site: ${site})`);
  }
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new BadBodyError(415, 'writes take content-type: application/json');
  }
}

function sameOrigin(origin: string, host: string | undefined): boolean {
  if (!host) return false;
  try {
    return new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}
