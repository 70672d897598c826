// The JSON shapes GCS answers with, and the parsing of the partial resources clients send.

import { badRequest } from './errors.ts';
import type { BucketRecord, ObjectRecord, WritableFields } from './records.ts';
import { DEFAULT_CONTENT_TYPE, OPTIONAL_STRING_FIELDS } from './records.ts';

type OptionalField = (typeof OPTIONAL_STRING_FIELDS)[number];

/** A partial object resource from a request body: undefined = not given, null = clear. */
export interface FieldChanges {
  contentType?: string | null;
  cacheControl?: string | null;
  contentDisposition?: string | null;
  contentEncoding?: string | null;
  contentLanguage?: string | null;
  metadata?: Record<string, string | null> | null;
}

const iso = (ms: number): string => new Date(ms).toISOString();

export function objectResource(rec: ObjectRecord, baseUrl: string): Record<string, unknown> {
  const b = encodeURIComponent(rec.bucket);
  const n = encodeURIComponent(rec.name);
  const out: Record<string, unknown> = {
    kind: 'storage#object',
    id: `${rec.bucket}/${rec.name}/${rec.generation}`,
    selfLink: `${baseUrl}/storage/v1/b/${b}/o/${n}`,
    mediaLink: `${baseUrl}/download/storage/v1/b/${b}/o/${n}?generation=${rec.generation}&alt=media`,
    name: rec.name,
    bucket: rec.bucket,
    generation: String(rec.generation),
    metageneration: String(rec.metageneration),
    contentType: rec.fields.contentType,
    storageClass: 'STANDARD',
    size: String(rec.data.length),
    md5Hash: rec.md5Hash,
    crc32c: rec.crc32c,
    etag: objectEtag(rec),
    timeCreated: iso(rec.timeCreated),
    updated: iso(rec.updated),
    timeStorageClassUpdated: iso(rec.timeCreated),
  };
  for (const f of OPTIONAL_STRING_FIELDS) {
    const v = rec.fields[f];
    if (v !== undefined) out[f] = v;
  }
  if (Object.keys(rec.fields.metadata).length > 0) out['metadata'] = { ...rec.fields.metadata };
  return out;
}

export function objectEtag(rec: ObjectRecord): string {
  return Buffer.from(`${rec.generation}/${rec.metageneration}`).toString('base64');
}

export function bucketResource(rec: BucketRecord, baseUrl: string): Record<string, unknown> {
  return {
    kind: 'storage#bucket',
    id: rec.name,
    selfLink: `${baseUrl}/storage/v1/b/${encodeURIComponent(rec.name)}`,
    projectNumber: '0',
    name: rec.name,
    timeCreated: iso(rec.timeCreated),
    updated: iso(rec.timeCreated),
    metageneration: '1',
    location: 'US',
    locationType: 'multi-region',
    storageClass: 'STANDARD',
    etag: 'CAE=',
  };
}

function asObject(body: unknown, what: string): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body))
    throw badRequest(`${what} must be a JSON object`);
  return body as Record<string, unknown>;
}

function stringOrNull(value: unknown, field: string): string | null {
  if (value === null || typeof value === 'string') return value;
  // GCS stores scalar metadata values as their text.
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw badRequest(`${field} must be a string`);
}

/** Reads the writable fields of a partial object resource; unknown fields are ignored. */
export function parseFieldChanges(body: unknown): FieldChanges {
  const obj = asObject(body, 'request body');
  const changes: FieldChanges = {};
  if ('contentType' in obj) changes.contentType = stringOrNull(obj['contentType'], 'contentType');
  for (const f of OPTIONAL_STRING_FIELDS) {
    if (f in obj) changes[f] = stringOrNull(obj[f], f);
  }
  if ('metadata' in obj) {
    const raw = obj['metadata'];
    if (raw === null) {
      changes.metadata = null;
    } else {
      const m = asObject(raw, 'metadata');
      const out: Record<string, string | null> = {};
      for (const [k, v] of Object.entries(m)) out[k] = stringOrNull(v, `metadata.${k}`);
      changes.metadata = out;
    }
  }
  return changes;
}

function withoutNulls(m: Record<string, string | null> | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!m) return out;
  for (const [k, v] of Object.entries(m)) if (v !== null) out[k] = v;
  return out;
}

function optionalFields(pick: (f: OptionalField) => string | undefined): Partial<WritableFields> {
  const out: Partial<Record<OptionalField, string>> = {};
  for (const f of OPTIONAL_STRING_FIELDS) {
    const v = pick(f);
    if (v !== undefined) out[f] = v;
  }
  return out;
}

/** Fields of a new object (insert, PUT update): exactly what the request gives. */
export function fieldsFromChanges(
  changes: FieldChanges,
  fallbackContentType?: string,
): WritableFields {
  return {
    contentType: changes.contentType ?? fallbackContentType ?? DEFAULT_CONTENT_TYPE,
    ...optionalFields((f) => changes[f] ?? undefined),
    metadata: withoutNulls(changes.metadata),
  };
}

/** PATCH: given fields replace, null clears, user metadata merges key by key (null removes). */
export function patchFields(current: WritableFields, changes: FieldChanges): WritableFields {
  let metadata: Record<string, string> = { ...current.metadata };
  if (changes.metadata === null) metadata = {};
  else if (changes.metadata) {
    for (const [k, v] of Object.entries(changes.metadata)) {
      if (v === null) delete metadata[k];
      else metadata[k] = v;
    }
  }
  return {
    contentType:
      changes.contentType === undefined
        ? current.contentType
        : (changes.contentType ?? DEFAULT_CONTENT_TYPE),
    ...optionalFields((f) => (changes[f] === undefined ? current[f] : (changes[f] ?? undefined))),
    metadata,
  };
}

/** Copy/rewrite/compose destination: each field given in the body replaces the source's. */
export function overrideFields(source: WritableFields, changes: FieldChanges): WritableFields {
  return {
    contentType:
      changes.contentType === undefined
        ? source.contentType
        : (changes.contentType ?? DEFAULT_CONTENT_TYPE),
    ...optionalFields((f) => (changes[f] === undefined ? source[f] : (changes[f] ?? undefined))),
    metadata:
      changes.metadata === undefined ? { ...source.metadata } : withoutNulls(changes.metadata),
  };
}
