/**
 * One `objects.list` call over plain fetch, with the storage client's endpoint and credentials.
 *
 * Listing is the one call whose cost grows with the queue: a dispatcher lists `queued/` a page of
 * 1,000 objects at a time, 100 pages at 100,000 keys. Through the storage client each page goes
 * through its request and retry stream layers, which leave about 1 KiB of heap per listed object
 * behind until a major GC (measured: +105 MB RSS for one 100k-key listing, against +25 MB for the
 * same pages over fetch; docs/benchmarks.md). The JSON is the same; only the transport differs.
 * Retries stay with the caller (withRetry), as for every other call.
 */
import type { Storage } from '@google-cloud/storage';

/** A non-2xx answer; `code` is the HTTP status, as the storage client's ApiError carries it. */
export class StorageHttpError extends Error {
  readonly code: number;

  constructor(code: number, message: string) {
    super(message);
    this.name = 'StorageHttpError';
    this.code = code;
  }
}

/** A list call that got no answer in time; `code` makes it a transient (retried) failure. */
export class StorageTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';

  constructor(message: string) {
    super(message);
    this.name = 'StorageTimeoutError';
  }
}

export interface ListQuery {
  prefix: string;
  maxResults: number;
  fields: string;
  pageToken?: string;
}

/** How long one list call may take before it counts as a dropped connection. */
const listTimeoutMs = 60_000;

/** GETs `/b/<bucket>/o` and returns the parsed body. */
export async function requestObjectList(
  storage: Storage,
  bucket: string,
  query: ListQuery,
  signal?: AbortSignal,
): Promise<unknown> {
  const url = new URL(`${jsonApiBase(storage)}/b/${encodeURIComponent(bucket)}/o`);
  url.searchParams.set('prefix', query.prefix);
  url.searchParams.set('maxResults', String(query.maxResults));
  url.searchParams.set('fields', query.fields);
  if (query.pageToken !== undefined) url.searchParams.set('pageToken', query.pageToken);
  const timeout = AbortSignal.timeout(listTimeoutMs);
  let response: Response;
  try {
    response = await fetch(url, {
      headers: await authHeaders(storage, url),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
  } catch (err) {
    if (signal?.aborted) throw err;
    if (timeout.aborted) {
      throw new StorageTimeoutError(`list ${query.prefix}: no answer in ${listTimeoutMs} ms`);
    }
    // fetch says only "fetch failed"; the reason (ECONNREFUSED, a bad port, …) is its cause.
    // The original stays the cause, so a connection failure still reads as transient.
    const reason = err instanceof Error && err.cause instanceof Error ? err.cause.message : err;
    throw new Error(`cannot reach ${url.origin}: ${String(reason)}`, { cause: err });
  }
  if (!response.ok) {
    throw new StorageHttpError(response.status, await errorMessage(response));
  }
  return response.json();
}

/** The JSON API base the client itself uses (`…/storage/v1`). */
function jsonApiBase(storage: Storage): string {
  // STORAGE_EMULATOR_HOST lands in baseUrl verbatim, possibly as bare `host:port`.
  const base = /^https?:\/\//.test(storage.baseUrl)
    ? storage.baseUrl
    : `${storage.apiEndpoint}/storage/v1`;
  return base.replace(/\/+$/, '');
}

/** The client's credentials, unless it talks to a custom endpoint without auth (an emulator). */
async function authHeaders(storage: Storage, url: URL): Promise<Headers> {
  const s = storage as Storage & { customEndpoint?: boolean; useAuthWithCustomEndpoint?: boolean };
  if (s.customEndpoint && !s.useAuthWithCustomEndpoint) return new Headers();
  return new Headers(await storage.authClient.getRequestHeaders(url.toString()));
}

async function errorMessage(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } };
    if (typeof body.error?.message === 'string') return body.error.message;
  } catch {
    // not JSON: fall through to the raw text
  }
  return text.slice(0, 200) || `HTTP ${response.status}`;
}
