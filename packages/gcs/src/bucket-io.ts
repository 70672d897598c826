/**
 * The storage calls this backend makes, typed and retried: create-if-absent, get, patch, copy,
 * delete and one list page. Every call goes through `withRetry`; 404 and 412 come back as errors
 * for the caller to read (see gcs-errors.ts).
 */
import type { Bucket, CopyOptions, File } from '@google-cloud/storage';
import type { Metadata, MetadataPatch } from './metadata.ts';
import { isNotFound } from './gcs-errors.ts';
import { requestObjectList } from './list-request.ts';
import type { Retrier } from './retry.ts';
import { withRetry } from './retry.ts';

/** The parts of an object resource the queue reads. */
export interface ObjectInfo {
  name: string;
  /** Decimal int64 as GCS sends it. Compare with compareGenerations. */
  generation: string;
  metageneration: string;
  /** Unix ms. */
  timeCreated: number;
  metadata: Metadata;
}

export interface Preconditions {
  ifGenerationMatch?: string | number;
  ifMetagenerationMatch?: string | number;
}

export interface ListPage {
  items: ObjectInfo[];
  nextPageToken?: string;
}

function pageTokenOf(page: { pageToken?: string }): { pageToken?: string } {
  return page.pageToken === undefined ? {} : { pageToken: page.pageToken };
}

/** The list projection: only what the queue reads, so pages stay small. */
const listFields = 'items(name,generation,metageneration,timeCreated,metadata),nextPageToken';

/** Compares two decimal generations without losing precision. */
export function compareGenerations(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Reads an object resource (from any call's answer) into ObjectInfo. */
export function toObjectInfo(resource: unknown): ObjectInfo {
  const r = (resource ?? {}) as Record<string, unknown>;
  const metadata: Metadata = {};
  const raw = r['metadata'];
  if (typeof raw === 'object' && raw !== null) {
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
      if (v !== null && v !== undefined) metadata[k] = String(v);
    }
  }
  const created = Date.parse(String(r['timeCreated'] ?? ''));
  return {
    name: String(r['name'] ?? ''),
    generation: String(r['generation'] ?? '0'),
    metageneration: String(r['metageneration'] ?? '0'),
    timeCreated: Number.isFinite(created) ? created : 0,
    metadata,
  };
}

export class BucketIO {
  readonly bucket: Bucket;
  readonly #retrier: Retrier;

  constructor(bucket: Bucket, retrier: Retrier) {
    this.bucket = bucket;
    this.#retrier = retrier;
  }

  #file(name: string, generation?: string): File {
    return generation === undefined
      ? this.bucket.file(name)
      : this.bucket.file(name, { generation });
  }

  /** Creates an empty object with `metadata`, only if no object has the name (412 otherwise). */
  create(name: string, metadata: Metadata, signal?: AbortSignal): Promise<ObjectInfo> {
    return withRetry(
      this.#retrier,
      `create ${name}`,
      async () => {
        const file = this.#file(name);
        await file.save('', {
          resumable: false,
          preconditionOpts: { ifGenerationMatch: 0 },
          metadata: { metadata },
        });
        return toObjectInfo(file.metadata);
      },
      signal,
    );
  }

  /** The object's metadata, or undefined when it does not exist. */
  async get(name: string, signal?: AbortSignal): Promise<ObjectInfo | undefined> {
    try {
      return await withRetry(
        this.#retrier,
        `get ${name}`,
        async () => toObjectInfo((await this.#file(name).getMetadata())[0]),
        signal,
      );
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** Merges `patch` into the user metadata (null removes a name). */
  patch(
    name: string,
    patch: MetadataPatch,
    pre: Preconditions,
    signal?: AbortSignal,
  ): Promise<ObjectInfo> {
    return withRetry(
      this.#retrier,
      `patch ${name}`,
      async () => {
        const [resource] = await this.#file(name).setMetadata({ metadata: patch }, { ...pre });
        return toObjectInfo(resource);
      },
      signal,
    );
  }

  /**
   * Copies generation `source.generation` of `source.name` to `destination` with exactly
   * `metadata` (the source's is replaced). `pre.ifGenerationMatch` applies to the destination:
   * 0 = only if absent. A missing source generation answers 404.
   */
  copy(
    source: { name: string; generation: string },
    destination: string,
    metadata: Metadata,
    pre: { ifGenerationMatch?: number | string },
    signal?: AbortSignal,
  ): Promise<ObjectInfo> {
    return withRetry(
      this.#retrier,
      `copy ${source.name} to ${destination}`,
      async () => {
        const options: CopyOptions = { metadata };
        if (pre.ifGenerationMatch !== undefined) {
          options.preconditionOpts = { ifGenerationMatch: pre.ifGenerationMatch };
        }
        const [, response] = await this.#file(source.name, source.generation).copy(
          this.#file(destination),
          options,
        );
        return toObjectInfo((response as { resource?: unknown } | undefined)?.resource);
      },
      signal,
    );
  }

  delete(name: string, pre: Preconditions, signal?: AbortSignal): Promise<void> {
    return withRetry(
      this.#retrier,
      `delete ${name}`,
      async () => {
        await this.#file(name).delete({ ...pre });
      },
      signal,
    );
  }

  /** One page of objects under `prefix`, in name order (over fetch: see list-request.ts). */
  list(
    prefix: string,
    page: { pageToken?: string; maxResults: number },
    signal?: AbortSignal,
  ): Promise<ListPage> {
    return withRetry(
      this.#retrier,
      `list ${prefix}`,
      async () => {
        const body = (await requestObjectList(
          this.bucket.storage,
          this.bucket.name,
          { prefix, maxResults: page.maxResults, fields: listFields, ...pageTokenOf(page) },
          signal,
        )) as { items?: unknown; nextPageToken?: unknown } | null;
        const items = Array.isArray(body?.items) ? (body.items as unknown[]) : [];
        const out: ListPage = { items: items.map(toObjectInfo) };
        const token = body?.nextPageToken;
        if (typeof token === 'string' && token !== '') out.nextPageToken = token;
        return out;
      },
      signal,
    );
  }

  /** Every object under `prefix`, page by page (`pageSize` per call). */
  async *scan(
    prefix: string,
    pageSize: number,
    signal?: AbortSignal,
  ): AsyncGenerator<ObjectInfo[]> {
    let pageToken: string | undefined;
    do {
      const page: ListPage = await this.list(
        prefix,
        pageToken === undefined ? { maxResults: pageSize } : { maxResults: pageSize, pageToken },
        signal,
      );
      yield page.items;
      pageToken = page.nextPageToken;
    } while (pageToken !== undefined);
  }
}
