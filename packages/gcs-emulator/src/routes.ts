// URL → route. The client builds object URLs with the name percent-encoded as one segment, so
// the raw path is split on "/" before decoding. Accepted spellings (STORAGE_EMULATOR_HOST makes
// the client mix them): `/storage/v1/b/...` and bare `/b/...` for JSON calls,
// `/upload/storage/v1/b/...` (or `/upload/b/...`) for uploads, `/download/storage/v1/b/...`
// for media links.

import type { OperationName } from './counters.ts';
import { badRequest, HttpError } from './errors.ts';

export type Route =
  | { readonly kind: 'buckets.list' | 'buckets.insert' }
  | { readonly kind: 'buckets.get' | 'buckets.delete'; readonly bucket: string }
  | { readonly kind: 'objects.list' | 'upload.start'; readonly bucket: string }
  | { readonly kind: 'upload.session'; readonly bucket: string; readonly uploadId: string }
  | {
      readonly kind:
        'objects.get' | 'objects.patch' | 'objects.update' | 'objects.delete' | 'objects.compose';
      readonly bucket: string;
      readonly object: string;
      /** `/download/...` links always serve media. */
      readonly media?: boolean;
    }
  | CopyRoute;

export interface CopyRoute {
  readonly kind: 'objects.rewrite' | 'objects.copy';
  readonly bucket: string;
  readonly object: string;
  readonly destBucket: string;
  readonly destObject: string;
}

/** The operation a route bills, for counting refused requests. */
export function routeOperation(route: Route): OperationName {
  switch (route.kind) {
    case 'upload.start':
    case 'upload.session':
      return 'objects.insert';
    default:
      return route.kind;
  }
}

const MAX_NAME_BYTES = 1024;

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest(`malformed percent-encoding in path segment ${segment}`);
  }
}

/** GCS object name rules: 1..1024 bytes of UTF-8, no CR/LF, not "." or "..". */
export function validateObjectName(name: string): string {
  if (name.length === 0) throw new HttpError(400, 'required', 'Required: object name');
  if (!name.isWellFormed()) throw badRequest('object name is not valid UTF-8');
  if (Buffer.byteLength(name) > MAX_NAME_BYTES)
    throw badRequest('object name longer than 1024 bytes');
  if (/[\r\n]/.test(name)) throw badRequest('object name contains a carriage return or line feed');
  if (name === '.' || name === '..') throw badRequest('object name cannot be "." or ".."');
  return name;
}

/** GCS bucket name rules, loosely: 3..222 chars of a-z 0-9 - _ . starting and ending alphanumeric. */
export function validateBucketName(name: string): string {
  if (!/^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/.test(name))
    throw badRequest(`Invalid bucket name: '${name}'`);
  return name;
}

const notFoundRoute = (method: string, path: string): HttpError =>
  new HttpError(404, 'notFound', `Not Found: ${method} ${path}`);

export function parseRoute(method: string, rawPath: string, query: URLSearchParams): Route {
  let path = rawPath;
  let upload = false;
  let download = false;
  if (path.startsWith('/upload/')) {
    upload = true;
    path = path.slice('/upload'.length);
  } else if (path.startsWith('/download/')) {
    download = true;
    path = path.slice('/download'.length);
  }
  if (path.startsWith('/storage/v1/')) path = path.slice('/storage/v1'.length);
  const segs = path.split('/').slice(1);
  if (segs[segs.length - 1] === '' && segs.length > 1) segs.pop();
  if (segs[0] !== 'b') throw notFoundRoute(method, rawPath);

  if (segs.length === 1) {
    if (method === 'GET') return { kind: 'buckets.list' };
    if (method === 'POST') return { kind: 'buckets.insert' };
    throw notFoundRoute(method, rawPath);
  }
  const bucket = validateBucketName(decode(segs[1]!));
  if (segs.length === 2) {
    if (method === 'GET') return { kind: 'buckets.get', bucket };
    if (method === 'DELETE') return { kind: 'buckets.delete', bucket };
    throw notFoundRoute(method, rawPath);
  }
  if (segs[2] !== 'o') throw notFoundRoute(method, rawPath);
  if (segs.length === 3) {
    const uploadId = query.get('upload_id');
    if (uploadId !== null && (method === 'PUT' || method === 'POST' || method === 'DELETE')) {
      return { kind: 'upload.session', bucket, uploadId };
    }
    if (method === 'POST' && (upload || query.has('uploadType')))
      return { kind: 'upload.start', bucket };
    if (method === 'GET' && !upload) return { kind: 'objects.list', bucket };
    throw notFoundRoute(method, rawPath);
  }
  const rest = segs.slice(3);
  if (method === 'POST') {
    const copy = parseCopy(rest);
    if (copy) return { ...copy, bucket };
    if (rest[rest.length - 1] === 'compose') {
      return { kind: 'objects.compose', bucket, object: objectName(rest.slice(0, -1)) };
    }
    throw notFoundRoute(method, rawPath);
  }
  const object = objectName(rest);
  switch (method) {
    case 'GET':
      return download
        ? { kind: 'objects.get', bucket, object, media: true }
        : { kind: 'objects.get', bucket, object };
    case 'PATCH':
      return { kind: 'objects.patch', bucket, object };
    case 'PUT':
      return { kind: 'objects.update', bucket, object };
    case 'DELETE':
      return { kind: 'objects.delete', bucket, object };
    default:
      throw new HttpError(405, 'methodNotAllowed', `Method ${method} not allowed on an object`);
  }
}

/** Encoded names are one segment; an unencoded "a/b" is accepted by joining the segments. */
function objectName(segs: readonly string[]): string {
  return validateObjectName(segs.map(decode).join('/'));
}

/** `SRC/rewriteTo/b/DB/o/DST` or `SRC/copyTo/b/DB/o/DST`. */
function parseCopy(rest: readonly string[]): Omit<CopyRoute, 'bucket'> | undefined {
  for (let i = 1; i + 4 < rest.length; i++) {
    const verb = rest[i];
    if ((verb === 'rewriteTo' || verb === 'copyTo') && rest[i + 1] === 'b' && rest[i + 3] === 'o') {
      return {
        kind: verb === 'rewriteTo' ? 'objects.rewrite' : 'objects.copy',
        object: objectName(rest.slice(0, i)),
        destBucket: validateBucketName(decode(rest[i + 2]!)),
        destObject: objectName(rest.slice(i + 4)),
      };
    }
  }
  return undefined;
}
