/**
 * How a failed storage call is read. Preconditions are the protocol here, not failures:
 * 412 means "someone else changed it first" and 404 "it is gone"; each caller decides what that
 * means for its operation. Transient answers (429, 408, 5xx) and connection failures are retried.
 */

export type FailureKind = 'not-found' | 'precondition' | 'transient' | 'fatal';

/** Connection-level error codes worth another try (Node, node-fetch, undici). */
const transientCodes = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ERR_STREAM_PREMATURE_CLOSE',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** Inner `errors[].reason` values the storage client itself treats as connection problems. */
const transientReasons = new Set([
  'econnreset',
  'unexpected connection closure',
  'epipe',
  'socket connection timeout',
]);

/** The HTTP status a client error carries, if any. */
export function statusOf(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { code?: unknown; status?: unknown; response?: { status?: unknown } };
  for (const v of [e.code, e.status, e.response?.status]) {
    if (typeof v === 'number' && v >= 100 && v < 600) return v;
    if (typeof v === 'string' && /^\d{3}$/.test(v)) return Number(v);
  }
  return undefined;
}

function codeOf(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code.toUpperCase() : undefined;
}

export function classifyFailure(err: unknown): FailureKind {
  const status = statusOf(err);
  if (status === 404) return 'not-found';
  if (status === 412) return 'precondition';
  if (status === 408 || status === 429 || (status !== undefined && status >= 500))
    return 'transient';
  if (status !== undefined) return 'fatal';
  const code = codeOf(err);
  if (code !== undefined && transientCodes.has(code)) return 'transient';
  if (typeof err === 'object' && err !== null) {
    const e = err as { type?: unknown; errors?: unknown; cause?: unknown };
    // node-fetch marks network failures as 'system' errors.
    if (e.type === 'system') return 'transient';
    if (Array.isArray(e.errors)) {
      for (const inner of e.errors as { reason?: unknown }[]) {
        const reason = typeof inner?.reason === 'string' ? inner.reason.toLowerCase() : undefined;
        if (reason !== undefined && transientReasons.has(reason)) return 'transient';
      }
    }
    if (e.cause !== undefined && e.cause !== err) {
      const inner = classifyFailure(e.cause);
      if (inner === 'transient') return inner;
    }
  }
  return 'fatal';
}

export const isNotFound = (err: unknown): boolean => classifyFailure(err) === 'not-found';
export const isPreconditionFailed = (err: unknown): boolean =>
  classifyFailure(err) === 'precondition';
export const isTransient = (err: unknown): boolean => classifyFailure(err) === 'transient';
