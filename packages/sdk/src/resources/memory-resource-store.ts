import { NotFoundError } from '@recon/core';
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

/**
 * A ResourceStore in memory: the default for embedded controllers and tests. Records are
 * deep-copied in and out (structuredClone), so callers can never mutate stored state by accident.
 */
export class MemoryResourceStore implements ResourceStore {
  readonly #records = new Map<string, Resource>();
  readonly #listeners = new ChangeListeners();

  async get<Spec = unknown, Status = unknown>(
    kind: string,
    uid: string,
  ): Promise<Resource<Spec, Status> | undefined> {
    const r = this.#records.get(resourceKey({ kind, uid }));
    return r === undefined ? undefined : (structuredClone(r) as Resource<Spec, Status>);
  }

  async list(kind: string): Promise<Resource[]> {
    return [...this.#records.values()]
      .filter((r) => r.kind === kind)
      .map((r) => structuredClone(r));
  }

  async apply<Spec>(request: ApplyRequest<Spec>): Promise<Resource<Spec>> {
    validateResourceRef(request);
    const key = resourceKey(request);
    const existing = this.#records.get(key);
    const actual = existing?.generation ?? 0;
    if (request.expectedGeneration !== undefined && request.expectedGeneration !== actual) {
      throw new ConflictError(`spec of ${key}`, { expected: request.expectedGeneration, actual });
    }
    const ownerRefs = request.ownerRefs
      ? request.ownerRefs.map((o) => ({ kind: o.kind, uid: o.uid }))
      : (existing?.ownerRefs ?? []);
    const specChanged = !existing || !isDeepStrictEqual(existing.spec, request.spec);
    const ownersChanged = !!existing && !isDeepStrictEqual(existing.ownerRefs, ownerRefs);
    if (existing && !specChanged && !ownersChanged)
      return structuredClone(existing) as Resource<Spec>;
    const next: Resource = {
      kind: request.kind,
      uid: request.uid,
      generation: specChanged ? actual + 1 : actual,
      spec: structuredClone(request.spec),
      status: existing?.status,
      statusVersion: existing?.statusVersion ?? 0,
      ownerRefs,
    };
    this.#records.set(key, next);
    this.#notify({ type: 'applied', resource: structuredClone(next) });
    return structuredClone(next) as Resource<Spec>;
  }

  async updateStatus<Status>(
    kind: string,
    uid: string,
    status: Status,
    expectedStatusVersion: number,
  ): Promise<Resource<unknown, Status>> {
    const key = resourceKey({ kind, uid });
    const existing = this.#records.get(key);
    if (!existing) throw new NotFoundError(`resource ${key} not found`);
    if (existing.statusVersion !== expectedStatusVersion) {
      throw new ConflictError(`status of ${key}`, {
        expected: expectedStatusVersion,
        actual: existing.statusVersion,
      });
    }
    // Only status moves: the spec and generation stored now (maybe newer than the caller's) stay.
    const next: Resource = {
      ...existing,
      status: structuredClone(status),
      statusVersion: existing.statusVersion + 1,
    };
    this.#records.set(key, next);
    return structuredClone(next) as Resource<unknown, Status>;
  }

  async delete(kind: string, uid: string): Promise<string[]> {
    const deleted: string[] = [];
    const remove = (ref: OwnerRef, cascade: boolean) => {
      const key = resourceKey(ref);
      if (!this.#records.delete(key)) return;
      deleted.push(key);
      this.#notify({ type: 'deleted', kind: ref.kind, uid: ref.uid, cascade });
      for (const dependent of [...this.#records.values()]) {
        const owned = dependent.ownerRefs.some((o) => o.kind === ref.kind && o.uid === ref.uid);
        const orphaned = dependent.ownerRefs.every((o) => !this.#records.has(resourceKey(o)));
        if (owned && orphaned) remove(dependent, true);
      }
    };
    remove({ kind, uid }, false);
    return deleted;
  }

  watch(listener: (change: ResourceChange) => void): () => void {
    return this.#listeners.add(listener);
  }

  #notify(change: ResourceChange): void {
    this.#listeners.notify(change);
  }
}
