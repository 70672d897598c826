/**
 * A ResourceStore in a GCS bucket, safe across replicas by generation preconditions alone.
 *
 * Spec and status live in two objects, so a status write cannot touch the spec at all:
 * - `<prefix>spec/<kind>/<uid>`: body `{ spec, ownerRefs }`; metadata `generation` (our counter)
 *   and `owners` (JSON, so a listing can walk the owner graph without downloading bodies);
 * - `<prefix>status/<kind>/<uid>`: body = the status JSON; metadata `status-version`.
 * Every write is pinned to the GCS generation it read (`ifGenerationMatch`, 0 = must not exist);
 * on 412 it re-reads and decides again, so concurrent writers never lose each other's change.
 *
 * `watch()` reports changes made through THIS instance; changes by other processes need bucket
 * notifications (not wired here).
 */
import type { Bucket, FileMetadata } from '@google-cloud/storage';
import { NotFoundError, UnavailableError } from '@recon/core';
import { isDeepStrictEqual } from 'node:util';
import { ConflictError } from '../errors.ts';
import { ChangeListeners } from './change-listeners.ts';
import {
  type ApplyRequest,
  type OwnerRef,
  type Resource,
  type ResourceChange,
  type ResourceStore,
  resourceKey,
  validateResourceRef,
} from './resource-store.ts';

export interface GcsResourceStoreOptions {
  bucket: Bucket;
  /** Object name prefix, e.g. `resources/`. Default `''`. */
  prefix?: string;
  /** Compare-and-swap rounds before giving up with ConflictError. Default 20. */
  maxRounds?: number;
}

interface SpecObject {
  gcsGeneration: string;
  generation: number;
  spec: unknown;
  ownerRefs: OwnerRef[];
}

interface StatusObject {
  gcsGeneration: string;
  statusVersion: number;
  status: unknown;
}

export class GcsResourceStore implements ResourceStore {
  readonly #bucket: Bucket;
  readonly #prefix: string;
  readonly #maxRounds: number;
  readonly #listeners = new ChangeListeners();

  constructor(options: GcsResourceStoreOptions) {
    this.#bucket = options.bucket;
    this.#prefix = options.prefix ?? '';
    this.#maxRounds = options.maxRounds ?? 20;
  }

  async get<Spec = unknown, Status = unknown>(
    kind: string,
    uid: string,
  ): Promise<Resource<Spec, Status> | undefined> {
    const ref = { kind, uid };
    const [spec, status] = await Promise.all([this.#readSpec(ref), this.#readStatus(ref)]);
    return spec && (toResource(ref, spec, status) as Resource<Spec, Status>);
  }

  async list(kind: string): Promise<Resource[]> {
    const prefix = `${this.#prefix}spec/${kind}/`;
    const [files] = await this.#bucket.getFiles({ prefix });
    const uids = files.map((f) => f.name.slice(prefix.length)).filter((uid) => uid !== '');
    const resources = await Promise.all(uids.map((uid) => this.get(kind, uid)));
    return resources.filter((r): r is Resource => r !== undefined);
  }

  async apply<Spec>(request: ApplyRequest<Spec>): Promise<Resource<Spec>> {
    validateResourceRef(request);
    const key = resourceKey(request);
    for (let round = 0; round < this.#maxRounds; round++) {
      const current = await this.#readSpec(request);
      const actual = current?.generation ?? 0;
      if (request.expectedGeneration !== undefined && request.expectedGeneration !== actual) {
        throw new ConflictError(`spec of ${key}`, { expected: request.expectedGeneration, actual });
      }
      const ownerRefs = request.ownerRefs
        ? request.ownerRefs.map((o) => ({ kind: o.kind, uid: o.uid }))
        : (current?.ownerRefs ?? []);
      const specChanged = !current || !isDeepStrictEqual(current.spec, request.spec);
      if (current && !specChanged && isDeepStrictEqual(current.ownerRefs, ownerRefs)) {
        return toResource(request, current, await this.#readStatus(request)) as Resource<Spec>;
      }
      const next: SpecObject = {
        gcsGeneration: '',
        generation: specChanged ? actual + 1 : actual,
        spec: request.spec,
        ownerRefs,
      };
      const file = this.#bucket.file(this.#specName(request));
      try {
        await file.save(JSON.stringify({ spec: next.spec, ownerRefs }), {
          resumable: false,
          contentType: 'application/json',
          preconditionOpts: { ifGenerationMatch: current?.gcsGeneration ?? 0 },
          metadata: {
            metadata: { generation: String(next.generation), owners: JSON.stringify(ownerRefs) },
          },
        });
      } catch (err) {
        if (isLostRace(err)) continue;
        throw err;
      }
      const resource = toResource(request, next, await this.#readStatus(request)) as Resource<Spec>;
      this.#listeners.notify({ type: 'applied', resource });
      return resource;
    }
    throw new UnavailableError(`spec of ${key}: still contended after ${this.#maxRounds} rounds`);
  }

  async updateStatus<Status>(
    kind: string,
    uid: string,
    status: Status,
    expectedStatusVersion: number,
  ): Promise<Resource<unknown, Status>> {
    const ref = { kind, uid };
    const key = resourceKey(ref);
    for (let round = 0; round < this.#maxRounds; round++) {
      const [spec, current] = await Promise.all([this.#readSpec(ref), this.#readStatus(ref)]);
      if (!spec) throw new NotFoundError(`resource ${key} not found`);
      const actual = current?.statusVersion ?? 0;
      if (actual !== expectedStatusVersion) {
        throw new ConflictError(`status of ${key}`, { expected: expectedStatusVersion, actual });
      }
      try {
        await this.#bucket.file(this.#statusName(ref)).save(JSON.stringify(status ?? null), {
          resumable: false,
          contentType: 'application/json',
          preconditionOpts: { ifGenerationMatch: current?.gcsGeneration ?? 0 },
          metadata: { metadata: { 'status-version': String(actual + 1) } },
        });
      } catch (err) {
        if (isLostRace(err)) continue; // re-read: a rival status write now fails the version check
        throw err;
      }
      return toResource(ref, spec, {
        gcsGeneration: '',
        statusVersion: actual + 1,
        status,
      }) as Resource<unknown, Status>;
    }
    throw new UnavailableError(`status of ${key}: still contended after ${this.#maxRounds} rounds`);
  }

  async delete(kind: string, uid: string): Promise<string[]> {
    const deleted: string[] = [];
    const remove = async (ref: OwnerRef, cascade: boolean): Promise<void> => {
      if (!(await this.#deleteObject(this.#specName(ref)))) return;
      await this.#deleteObject(this.#statusName(ref));
      deleted.push(resourceKey(ref));
      this.#listeners.notify({ type: 'deleted', kind: ref.kind, uid: ref.uid, cascade });
      const all = await this.#ownerGraph();
      for (const [key, owners] of all) {
        const owned = owners.some((o) => o.kind === ref.kind && o.uid === ref.uid);
        const orphaned = owners.every((o) => !all.has(resourceKey(o)));
        const slash = key.indexOf('/');
        if (owned && orphaned)
          await remove({ kind: key.slice(0, slash), uid: key.slice(slash + 1) }, true);
      }
    };
    await remove({ kind, uid }, false);
    return deleted;
  }

  watch(listener: (change: ResourceChange) => void): () => void {
    return this.#listeners.add(listener);
  }

  #specName(ref: OwnerRef): string {
    return `${this.#prefix}spec/${ref.kind}/${ref.uid}`;
  }

  #statusName(ref: OwnerRef): string {
    return `${this.#prefix}status/${ref.kind}/${ref.uid}`;
  }

  /** Every resource key with its owners, from one listing of metadata (no bodies). */
  async #ownerGraph(): Promise<Map<string, OwnerRef[]>> {
    const prefix = `${this.#prefix}spec/`;
    const [files] = await this.#bucket.getFiles({ prefix });
    return new Map(
      files.map((f) => [
        f.name.slice(prefix.length),
        parseOwners((f.metadata.metadata ?? {}) as Record<string, unknown>),
      ]),
    );
  }

  async #readSpec(ref: OwnerRef): Promise<SpecObject | undefined> {
    const read = await this.#download(this.#specName(ref));
    if (!read) return undefined;
    const body = read.body as { spec?: unknown; ownerRefs?: OwnerRef[] };
    return {
      gcsGeneration: read.gcsGeneration,
      generation: Number(read.metadata.generation ?? 0) || 0,
      spec: body.spec,
      ownerRefs: body.ownerRefs ?? [],
    };
  }

  async #readStatus(ref: OwnerRef): Promise<StatusObject | undefined> {
    const read = await this.#download(this.#statusName(ref));
    if (!read) return undefined;
    return {
      gcsGeneration: read.gcsGeneration,
      statusVersion: Number(read.metadata['status-version'] ?? 0) || 0,
      status: read.body,
    };
  }

  /**
   * Metadata, then the body of exactly that generation, so the two always match. When the
   * object is replaced in between, reads again; undefined when it does not exist.
   */
  async #download(
    name: string,
  ): Promise<
    { gcsGeneration: string; metadata: Record<string, unknown>; body: unknown } | undefined
  > {
    for (let round = 0; round < this.#maxRounds; round++) {
      let meta: FileMetadata;
      try {
        [meta] = await this.#bucket.file(name).getMetadata();
      } catch (err) {
        if (statusOf(err) === 404) return undefined;
        throw err;
      }
      const gcsGeneration = String(meta.generation);
      let content: Buffer;
      try {
        [content] = await this.#bucket.file(name, { generation: gcsGeneration }).download();
      } catch (err) {
        if (statusOf(err) === 404) continue; // that generation was just replaced or deleted
        throw err;
      }
      return {
        gcsGeneration,
        metadata: (meta.metadata ?? {}) as Record<string, unknown>,
        body: JSON.parse(content.toString('utf8')) as unknown,
      };
    }
    throw new UnavailableError(`${name} kept changing while being read`);
  }

  /** True when this call deleted the object. */
  async #deleteObject(name: string): Promise<boolean> {
    try {
      await this.#bucket.file(name).delete();
      return true;
    } catch (err) {
      if (statusOf(err) === 404) return false;
      throw err;
    }
  }
}

function toResource(ref: OwnerRef, spec: SpecObject, status: StatusObject | undefined): Resource {
  return {
    kind: ref.kind,
    uid: ref.uid,
    generation: spec.generation,
    spec: structuredClone(spec.spec),
    status: status === undefined ? undefined : structuredClone(status.status),
    statusVersion: status?.statusVersion ?? 0,
    ownerRefs: spec.ownerRefs.map((o) => ({ ...o })),
  };
}

function parseOwners(metadata: Record<string, unknown>): OwnerRef[] {
  try {
    const owners: unknown = JSON.parse(String(metadata.owners ?? '[]'));
    return Array.isArray(owners) ? (owners as OwnerRef[]) : [];
  } catch {
    return [];
  }
}

function statusOf(err: unknown): unknown {
  return (err as { code?: unknown } | null)?.code;
}

/** 412: the object changed since it was read; 404: it vanished. Re-read and decide again. */
function isLostRace(err: unknown): boolean {
  const code = statusOf(err);
  return code === 412 || code === 404;
}
