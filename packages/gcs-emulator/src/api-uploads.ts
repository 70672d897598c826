// Uploads: `uploadType=media`, `multipart` and `resumable` (POST starts a session, PUTs carry the
// bytes, possibly in chunks answered 308 + Range). Preconditions given when the upload starts are
// checked when it completes, atomically with the write. A resumable upload bills one insert, on
// completion.

import type { ApiContext } from './api-context.ts';
import { parseJsonBody } from './api-context.ts';
import { badRequest, HttpError, notFound } from './errors.ts';
import type { ApiRequest, Reply } from './http-io.ts';
import { parseMultipartUpload } from './multipart.ts';
import type { Preconditions } from './preconditions.ts';
import { checkWritePreconditions, parsePreconditions } from './preconditions.ts';
import type { ObjectRecord } from './records.ts';
import type { FieldChanges } from './resource.ts';
import { fieldsFromChanges, objectResource, parseFieldChanges } from './resource.ts';
import { validateObjectName } from './routes.ts';
import { crc32cBase64 } from './crc32c.ts';
import { createHash } from 'node:crypto';
import type { ExpectedHashes, UploadSession } from './uploads.ts';
import { parseContentRange } from './uploads.ts';

interface Insert {
  readonly bucket: string;
  readonly name: string;
  readonly data: Buffer;
  readonly changes: FieldChanges;
  readonly fallbackContentType: string | undefined;
  readonly preconditions: Preconditions;
  readonly expected: ExpectedHashes;
}

/** Writes a new generation of an object if the preconditions hold at this moment. */
async function insertObject(ctx: ApiContext, ins: Insert): Promise<ObjectRecord> {
  verifyHashes(ins.data, ins.expected);
  const fields = fieldsFromChanges(ins.changes, ins.fallbackContentType);
  const { after } = await ctx.store.mutate(ins.bucket, ins.name, (current) => {
    checkWritePreconditions(current, ins.preconditions);
    return ctx.store.createRecord({ bucket: ins.bucket, name: ins.name, data: ins.data, fields });
  });
  return after!;
}

function verifyHashes(data: Buffer, expected: ExpectedHashes): void {
  if (expected.crc32c !== undefined && expected.crc32c !== crc32cBase64(data)) {
    throw badRequest(
      `Provided CRC32C "${expected.crc32c}" doesn't match calculated "${crc32cBase64(data)}".`,
    );
  }
  if (expected.md5Hash !== undefined) {
    const md5 = createHash('md5').update(data).digest('base64');
    if (expected.md5Hash !== md5)
      throw badRequest(
        `Provided MD5 hash "${expected.md5Hash}" doesn't match calculated MD5 hash "${md5}".`,
      );
  }
}

/** `crc32c`/`md5Hash` declared in a resource body. */
function hashesInResource(resource: unknown): ExpectedHashes {
  if (typeof resource !== 'object' || resource === null) return {};
  const r = resource as Record<string, unknown>;
  return {
    ...(typeof r['crc32c'] === 'string' ? { crc32c: r['crc32c'] } : {}),
    ...(typeof r['md5Hash'] === 'string' ? { md5Hash: r['md5Hash'] } : {}),
  };
}

/** `X-Goog-Hash: crc32c=…,md5=…` sent with the last chunk. */
function hashesInHeader(
  header: string | string[] | undefined,
  base: ExpectedHashes,
): ExpectedHashes {
  const out: { crc32c?: string; md5Hash?: string } = { ...base };
  for (const part of [header ?? []].flat().join(',').split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 'crc32c') out.crc32c = value;
    else if (key === 'md5') out.md5Hash = value;
  }
  return out;
}

function nameOf(req: ApiRequest, resource: unknown): string {
  const fromResource =
    typeof resource === 'object' && resource !== null
      ? (resource as Record<string, unknown>)['name']
      : undefined;
  const name = req.query.get('name') ?? (typeof fromResource === 'string' ? fromResource : '');
  return validateObjectName(name);
}

const header = (req: ApiRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/** POST /upload/storage/v1/b/B/o?uploadType=… */
export async function startUpload(
  ctx: ApiContext,
  req: ApiRequest,
  bucket: string,
): Promise<Reply> {
  const preconditions = parsePreconditions(req.query);
  const contentType = header(req, 'content-type');
  const uploadType =
    req.query.get('uploadType') ?? (contentType?.startsWith('multipart/') ? 'multipart' : 'media');
  switch (uploadType) {
    case 'media': {
      const rec = await insertObject(ctx, {
        bucket,
        name: nameOf(req, undefined),
        data: req.body,
        changes: {},
        fallbackContentType: contentType,
        preconditions,
        expected: {},
      });
      return { status: 200, body: objectResource(rec, req.baseUrl), operation: 'objects.insert' };
    }
    case 'multipart': {
      const mp = parseMultipartUpload(req.body, contentType);
      const rec = await insertObject(ctx, {
        bucket,
        name: nameOf(req, mp.resource),
        data: mp.media,
        changes: parseFieldChanges(mp.resource),
        fallbackContentType: mp.mediaContentType,
        preconditions,
        expected: hashesInResource(mp.resource),
      });
      return { status: 200, body: objectResource(rec, req.baseUrl), operation: 'objects.insert' };
    }
    case 'resumable': {
      const resource = parseJsonBody(req.body);
      const name = nameOf(req, resource);
      // The bucket exists from the first POST on, as with any object operation.
      await ctx.store.ensureBucket(bucket);
      const session = ctx.uploads.create({
        bucket,
        name,
        changes: parseFieldChanges(resource),
        uploadContentType: header(req, 'x-upload-content-type'),
        preconditions,
        expected: hashesInResource(resource),
      });
      const location =
        `${req.baseUrl}/upload/storage/v1/b/${encodeURIComponent(bucket)}/o` +
        `?uploadType=resumable&name=${encodeURIComponent(name)}&upload_id=${session.id}`;
      return { status: 200, headers: { location, 'x-guploader-uploadid': session.id } };
    }
    default:
      throw badRequest(`Unsupported uploadType: ${uploadType}`);
  }
}

/** PUT (or DELETE to cancel) on a resumable session URL. */
export async function continueUpload(
  ctx: ApiContext,
  req: ApiRequest,
  bucket: string,
  uploadId: string,
): Promise<Reply> {
  const session = ctx.uploads.get(uploadId);
  if (!session || session.bucket !== bucket) throw notFound(`No such upload session: ${uploadId}`);
  if (req.method === 'DELETE') {
    ctx.uploads.delete(uploadId);
    return { status: 499 };
  }
  // Already complete: the client is retrying a final PUT whose answer it lost.
  if (session.result) return { status: 200, body: objectResource(session.result, req.baseUrl) };

  const range = parseContentRange(header(req, 'content-range'));
  if (!range) {
    // No Content-Range: the whole object in one request.
    session.chunks.length = 0;
    session.received = 0;
    append(session, req.body);
    return finish(ctx, req, session);
  }
  if (range.kind === 'status') {
    if (range.total !== undefined && range.total === session.received)
      return finish(ctx, req, session);
    return incomplete(session);
  }
  if (range.end !== undefined && range.end - range.start + 1 !== req.body.length) {
    throw badRequest(
      `Content-Range covers ${range.end - range.start + 1} bytes, body has ${req.body.length}`,
    );
  }
  // A gap: answer with what we have so the client resends from there.
  if (range.start > session.received) return incomplete(session);
  // Bytes we already have (a retried chunk) are skipped.
  const skip = session.received - range.start;
  if (skip < req.body.length) append(session, req.body.subarray(skip));
  if (range.total !== undefined) {
    if (session.received > range.total)
      throw badRequest('upload is larger than its declared total size');
    if (session.received === range.total) return finish(ctx, req, session);
    return incomplete(session);
  }
  // `bytes A-*/*`: this request carried the rest of the object.
  if (range.end === undefined) return finish(ctx, req, session);
  return incomplete(session);
}

function append(session: UploadSession, chunk: Buffer): void {
  session.chunks.push(Buffer.from(chunk));
  session.received += chunk.length;
}

function incomplete(session: UploadSession): Reply {
  return session.received > 0
    ? { status: 308, headers: { range: `bytes=0-${session.received - 1}` } }
    : { status: 308 };
}

async function finish(ctx: ApiContext, req: ApiRequest, session: UploadSession): Promise<Reply> {
  const data = Buffer.concat(session.chunks);
  try {
    session.result = await insertObject(ctx, {
      bucket: session.bucket,
      name: session.name,
      data,
      changes: session.changes,
      fallbackContentType: session.uploadContentType ?? header(req, 'content-type'),
      preconditions: session.preconditions,
      expected: hashesInHeader(req.headers['x-goog-hash'], session.expected),
    });
  } catch (err) {
    // A refused completion ends the session, as in GCS.
    if (HttpError.is(err) && err.status < 500) ctx.uploads.delete(session.id);
    throw err;
  }
  session.chunks.length = 0;
  return {
    status: 200,
    body: objectResource(session.result, req.baseUrl),
    operation: 'objects.insert',
  };
}
