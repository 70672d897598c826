/**
 * A fault wrapper around MemoryResourceStore (no mocks): it can hold the next status write open,
 * so a test can edit the spec, or write the status itself, while a reconcile is mid-update. It
 * records every status write with the resource as stored right after it.
 */
import {
  type ApplyRequest,
  MemoryResourceStore,
  type Resource,
  type ResourceChange,
  type ResourceStore,
} from '@recon/sdk';

export interface StatusWrite {
  key: string;
  status: unknown;
  /** The stored resource once this write landed (spec included). */
  after: Resource | undefined;
}

export interface Hold {
  /** Resolves when a status write is waiting at the gate. */
  reached: Promise<void>;
  /** Lets it through. */
  release(): void;
  /** Resolves (or rejects) with the write's own result once it went through. */
  settled: Promise<unknown>;
}

export class GatedStore implements ResourceStore {
  readonly writes: StatusWrite[] = [];
  readonly #inner = new MemoryResourceStore();
  #hold:
    | { arrived: () => void; gate: Promise<void>; done: (r: PromiseSettledResult<unknown>) => void }
    | undefined;

  /** Holds the next `updateStatus` until `release()`. */
  holdNextStatusWrite(): Hold {
    let arrived!: () => void;
    let release!: () => void;
    let done!: (r: PromiseSettledResult<unknown>) => void;
    const reached = new Promise<void>((r) => (arrived = r));
    const gate = new Promise<void>((r) => (release = r));
    const result = new Promise<PromiseSettledResult<unknown>>((r) => (done = r));
    this.#hold = { arrived, gate, done };
    return {
      reached,
      release,
      settled: result.then((r) =>
        r.status === 'fulfilled' ? r.value : Promise.reject(r.reason as Error),
      ),
    };
  }

  get<Spec = unknown, Status = unknown>(
    kind: string,
    uid: string,
  ): Promise<Resource<Spec, Status> | undefined> {
    return this.#inner.get<Spec, Status>(kind, uid);
  }

  list(kind: string): Promise<Resource[]> {
    return this.#inner.list(kind);
  }

  apply<Spec>(request: ApplyRequest<Spec>): Promise<Resource<Spec>> {
    return this.#inner.apply(request);
  }

  async updateStatus<Status>(
    kind: string,
    uid: string,
    status: Status,
    expectedStatusVersion: number,
  ): Promise<Resource<unknown, Status>> {
    const hold = this.#hold;
    this.#hold = undefined;
    if (hold) {
      hold.arrived();
      await hold.gate;
    }
    try {
      const stored = await this.#inner.updateStatus(kind, uid, status, expectedStatusVersion);
      this.writes.push({ key: `${kind}/${uid}`, status, after: await this.#inner.get(kind, uid) });
      hold?.done({ status: 'fulfilled', value: stored });
      return stored;
    } catch (err) {
      hold?.done({ status: 'rejected', reason: err });
      throw err;
    }
  }

  delete(kind: string, uid: string): Promise<string[]> {
    return this.#inner.delete(kind, uid);
  }

  watch(listener: (change: ResourceChange) => void): () => void {
    return this.#inner.watch(listener);
  }
}
