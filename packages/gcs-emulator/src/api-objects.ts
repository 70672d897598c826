// Object methods other than uploads: get (media or metadata), patch, update, delete, list,
// copy/rewrite and compose.

import type { ApiContext } from './api-context.ts';
import { parseJsonBody } from './api-context.ts';
import { badRequest, HttpError, notFound } from './errors.ts';
import type { ApiRequest, Reply } from './http-io.ts';
import { listObjects } from './listing.ts';
import {
  checkExistingPreconditions,
  checkWritePreconditions,
  parseIntParam,
  parsePreconditions,
} from './preconditions.ts';
import type { ObjectRecord } from './records.ts';
import {
  fieldsFromChanges,
  objectEtag,
  objectResource,
  overrideFields,
  parseFieldChanges,
  patchFields,
} from './resource.ts';
import type { CopyRoute } from './routes.ts';
import { validateObjectName } from './routes.ts';

const missing = (bucket: string, name: string): HttpError =>
  notFound(`No such object: ${bucket}/${name}`);

/** The live object, pinned to `?generation=` when given (other generations are not kept). */
function requireObject(
  current: ObjectRecord | undefined,
  req: ApiRequest,
  bucket: string,
  name: string,
): ObjectRecord {
  const generation = parseIntParam(req.query, 'generation');
  if (!current || (generation !== undefined && generation !== current.generation))
    throw missing(bucket, name);
  return current;
}

export async function getObject(
  ctx: ApiContext,
  req: ApiRequest,
  bucket: string,
  name: string,
  media: boolean,
): Promise<Reply> {
  await ctx.store.ensureBucket(bucket);
  const rec = requireObject(ctx.store.getObject(bucket, name), req, bucket, name);
  checkExistingPreconditions(rec, parsePreconditions(req.query), true);
  if (!media && req.query.get('alt') !== 'media') {
    return { status: 200, body: objectResource(rec, req.baseUrl), operation: 'objects.get' };
  }
  const headers: Record<string, string | number> = {
    'content-type': rec.fields.contentType,
    'x-goog-hash': `crc32c=${rec.crc32c},md5=${rec.md5Hash}`,
    'x-goog-generation': String(rec.generation),
    'x-goog-metageneration': String(rec.metageneration),
    'x-goog-stored-content-encoding': rec.fields.contentEncoding ?? 'identity',
    'x-goog-stored-content-length': rec.data.length,
    'x-goog-storage-class': 'STANDARD',
    etag: objectEtag(rec),
    'last-modified': new Date(rec.updated).toUTCString(),
    'accept-ranges': 'bytes',
  };
  if (rec.fields.contentEncoding !== undefined)
    headers['content-encoding'] = rec.fields.contentEncoding;
  const range = parseRange(req.headers.range, rec.data.length);
  if (!range) return { status: 200, headers, body: rec.data, operation: 'objects.get' };
  headers['content-range'] = `bytes ${range.start}-${range.end}/${rec.data.length}`;
  return {
    status: 206,
    headers,
    body: rec.data.subarray(range.start, range.end + 1),
    operation: 'objects.get',
  };
}

/** A single `Range: bytes=a-b | a- | -n`; undefined for none (or a form we serve whole). */
function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | undefined {
  const m = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) {
    if (size === 0) return undefined;
    throw new HttpError(416, 'invalid', 'Requested range not satisfiable');
  }
  return { start, end };
}

/** PATCH (merge) or PUT (replace) of an object's writable fields; metageneration + 1. */
export async function updateObject(
  ctx: ApiContext,
  req: ApiRequest,
  bucket: string,
  name: string,
  mode: 'patch' | 'update',
): Promise<Reply> {
  const changes = parseFieldChanges(parseJsonBody(req.body));
  const preconditions = parsePreconditions(req.query);
  const { after } = await ctx.store.mutate(bucket, name, (current) => {
    const rec = requireObject(current, req, bucket, name);
    checkExistingPreconditions(rec, preconditions);
    return {
      ...rec,
      metageneration: rec.metageneration + 1,
      updated: ctx.store.now(),
      fields:
        mode === 'patch'
          ? patchFields(rec.fields, changes)
          : fieldsFromChanges(changes, rec.fields.contentType),
    };
  });
  return {
    status: 200,
    body: objectResource(after!, req.baseUrl),
    operation: mode === 'patch' ? 'objects.patch' : 'objects.update',
  };
}

export async function deleteObject(
  ctx: ApiContext,
  req: ApiRequest,
  bucket: string,
  name: string,
): Promise<Reply> {
  const preconditions = parsePreconditions(req.query);
  await ctx.store.mutate(bucket, name, (current) => {
    checkExistingPreconditions(requireObject(current, req, bucket, name), preconditions);
    return null;
  });
  return { status: 204, operation: 'objects.delete' };
}

export async function list(ctx: ApiContext, req: ApiRequest, bucket: string): Promise<Reply> {
  const q = req.query;
  if (q.get('matchGlob')) throw badRequest('matchGlob is not supported by the emulator');
  const maxResults = parseIntParam(q, 'maxResults') ?? 1000;
  if (maxResults < 1) throw badRequest('Invalid value for maxResults: must be positive');
  const b = await ctx.store.ensureBucket(bucket);
  const page = listObjects(b, {
    prefix: q.get('prefix') ?? '',
    ...(q.get('delimiter') ? { delimiter: q.get('delimiter')! } : {}),
    maxResults: Math.min(maxResults, 1000),
    ...(q.get('pageToken') ? { pageToken: q.get('pageToken')! } : {}),
    ...(q.get('startOffset') ? { startOffset: q.get('startOffset')! } : {}),
    ...(q.get('endOffset') ? { endOffset: q.get('endOffset')! } : {}),
    includeTrailingDelimiter: q.get('includeTrailingDelimiter') === 'true',
  });
  const body: Record<string, unknown> = { kind: 'storage#objects' };
  if (page.nextPageToken) body['nextPageToken'] = page.nextPageToken;
  if (page.prefixes.length > 0) body['prefixes'] = page.prefixes;
  if (page.items.length > 0) body['items'] = page.items.map((r) => objectResource(r, req.baseUrl));
  return { status: 200, body, operation: 'objects.list' };
}

/**
 * copyTo / rewriteTo. Fields given in the body (a partial destination resource) replace the
 * source's; user `metadata`, when given, replaces the source's map whole. The copy is a new
 * object: new generation, new creation time.
 */
export async function copyObject(
  ctx: ApiContext,
  req: ApiRequest,
  r: CopyRoute,
  mode: 'copy' | 'rewrite',
): Promise<Reply> {
  const changes = parseFieldChanges(parseJsonBody(req.body));
  const sourcePreconditions = parsePreconditions(req.query, true);
  const destPreconditions = parsePreconditions(req.query);
  const sourceGeneration = parseIntParam(req.query, 'sourceGeneration');
  await ctx.store.ensureBucket(r.bucket);
  const { after } = await ctx.store.mutate(r.destBucket, r.destObject, (current) => {
    const src = ctx.store.getObject(r.bucket, r.object);
    if (!src || (sourceGeneration !== undefined && sourceGeneration !== src.generation)) {
      throw missing(r.bucket, r.object);
    }
    checkExistingPreconditions(src, sourcePreconditions);
    checkWritePreconditions(current, destPreconditions);
    return ctx.store.createRecord({
      bucket: r.destBucket,
      name: r.destObject,
      data: src.data,
      fields: overrideFields(src.fields, changes),
    });
  });
  const resource = objectResource(after!, req.baseUrl);
  if (mode === 'copy') return { status: 200, body: resource, operation: 'objects.copy' };
  const size = String(after!.data.length);
  return {
    status: 200,
    body: {
      kind: 'storage#rewriteResponse',
      totalBytesRewritten: size,
      objectSize: size,
      done: true,
      resource,
    },
    operation: 'objects.rewrite',
  };
}

interface ComposeSource {
  readonly name: string;
  readonly generation?: number;
  readonly ifGenerationMatch?: number;
}

function parseComposeSources(body: Record<string, unknown>): ComposeSource[] {
  const list = body['sourceObjects'];
  if (!Array.isArray(list) || list.length === 0 || list.length > 32) {
    throw badRequest('sourceObjects must list 1..32 objects');
  }
  return list.map((s: unknown, i) => {
    const o = (typeof s === 'object' && s !== null ? s : {}) as Record<string, unknown>;
    if (typeof o['name'] !== 'string') throw badRequest(`sourceObjects[${i}].name is required`);
    const num = (v: unknown, field: string): number | undefined => {
      if (v === undefined || v === null) return undefined;
      const n = Number(v);
      if (!Number.isSafeInteger(n))
        throw badRequest(`sourceObjects[${i}].${field} is not an integer`);
      return n;
    };
    const pre = (o['objectPreconditions'] ?? {}) as Record<string, unknown>;
    const generation = num(o['generation'], 'generation');
    const ifGenerationMatch = num(
      pre['ifGenerationMatch'],
      'objectPreconditions.ifGenerationMatch',
    );
    return {
      name: validateObjectName(o['name']),
      ...(generation === undefined ? {} : { generation }),
      ...(ifGenerationMatch === undefined ? {} : { ifGenerationMatch }),
    };
  });
}

/** compose: concatenates up to 32 objects of the same bucket into the destination. */
export async function composeObject(
  ctx: ApiContext,
  req: ApiRequest,
  bucket: string,
  name: string,
): Promise<Reply> {
  const raw = parseJsonBody(req.body);
  const body = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const sources = parseComposeSources(body);
  const changes = parseFieldChanges(body['destination']);
  const preconditions = parsePreconditions(req.query);
  const { after } = await ctx.store.mutate(bucket, name, (current) => {
    const parts = sources.map((s) => {
      const rec = ctx.store.getObject(bucket, s.name);
      if (!rec || (s.generation !== undefined && s.generation !== rec.generation))
        throw missing(bucket, s.name);
      if (s.ifGenerationMatch !== undefined)
        checkExistingPreconditions(rec, { ifGenerationMatch: s.ifGenerationMatch });
      return rec;
    });
    checkWritePreconditions(current, preconditions);
    return ctx.store.createRecord({
      bucket,
      name,
      data: Buffer.concat(parts.map((p) => p.data)),
      fields: fieldsFromChanges(changes, parts[0]!.fields.contentType),
    });
  });
  return { status: 200, body: objectResource(after!, req.baseUrl), operation: 'objects.compose' };
}
