// The emulator's state: buckets, the live version of each object, and a sorted name index per
// bucket for listing. Writes go through `mutate`, which (when persisting) runs the decision, the
// disk write and the in-memory commit under a per-object lock: readers only ever see what is on
// disk, and preconditions checked inside `decide` are compare-and-swap.

import { createHash } from 'node:crypto';
import { crc32cBase64 } from './crc32c.ts';
import { HttpError } from './errors.ts';
import { GenerationClock } from './generations.ts';
import { KeyedMutex } from './keyed-mutex.ts';
import type { LoadedState, Persistence } from './persistence.ts';
import type { BucketRecord, ObjectRecord, WritableFields } from './records.ts';
import { compareNames, SortedNames } from './sorted-names.ts';

export interface BucketState {
  readonly record: BucketRecord;
  readonly names: SortedNames;
  readonly objects: Map<string, ObjectRecord>;
}

/** What a committed write did, for notifications. */
export type ChangeEvent =
  | { readonly kind: 'finalize'; readonly object: ObjectRecord; readonly overwrote?: ObjectRecord }
  | { readonly kind: 'metadata'; readonly object: ObjectRecord }
  | {
      readonly kind: 'delete';
      readonly object: ObjectRecord;
      readonly overwrittenBy?: ObjectRecord;
    };

export interface ObjectsStoreOptions {
  /** Where committed writes go first; undefined keeps everything in memory. */
  readonly persistence?: Persistence;
  /** Epoch milliseconds. */
  readonly now: () => number;
  readonly onChange?: (event: ChangeEvent) => void;
}

/** Decides the new state of one object from its current state: a record, null to delete, or throw. */
export type Decide = (current: ObjectRecord | undefined) => ObjectRecord | null;

export interface MutationResult {
  readonly before: ObjectRecord | undefined;
  readonly after: ObjectRecord | null;
}

export interface NewObject {
  readonly bucket: string;
  readonly name: string;
  readonly data: Buffer;
  readonly fields: WritableFields;
}

export class ObjectsStore {
  readonly generations: GenerationClock;
  readonly now: () => number;
  private readonly persistence: Persistence | undefined;
  private readonly onChange: ((event: ChangeEvent) => void) | undefined;
  private readonly buckets = new Map<string, BucketState>();
  private readonly creatingBuckets = new Map<string, Promise<BucketState>>();
  private readonly locks = new KeyedMutex();

  constructor(options: ObjectsStoreOptions) {
    this.persistence = options.persistence;
    this.now = options.now;
    this.onChange = options.onChange;
    this.generations = new GenerationClock(options.now);
  }

  /** Fills the store from disk (before serving). Objects of unknown buckets recreate the bucket. */
  load(state: LoadedState): void {
    for (const b of state.buckets) this.addBucket(b);
    for (const rec of state.objects) {
      const b =
        this.buckets.get(rec.bucket) ??
        this.addBucket({ name: rec.bucket, timeCreated: rec.timeCreated });
      b.objects.set(rec.name, rec);
      b.names.insert(rec.name);
      this.generations.observe(rec.generation);
    }
  }

  /** A new record for `obj` with a fresh generation, metageneration 1 and computed hashes. */
  createRecord(obj: NewObject): ObjectRecord {
    const now = this.now();
    return {
      bucket: obj.bucket,
      name: obj.name,
      generation: this.generations.next(),
      metageneration: 1,
      data: obj.data,
      crc32c: crc32cBase64(obj.data),
      md5Hash: createHash('md5').update(obj.data).digest('base64'),
      timeCreated: now,
      updated: now,
      fields: obj.fields,
    };
  }

  getBucket(name: string): BucketState | undefined {
    return this.buckets.get(name);
  }

  listBuckets(): BucketRecord[] {
    return [...this.buckets.values()]
      .map((b) => b.record)
      .sort((a, b) => compareNames(a.name, b.name));
  }

  getObject(bucket: string, name: string): ObjectRecord | undefined {
    return this.buckets.get(bucket)?.objects.get(name);
  }

  /** The bucket, created (and persisted) on first use, as the emulator promises. */
  async ensureBucket(name: string): Promise<BucketState> {
    const existing = this.buckets.get(name);
    if (existing) return existing;
    const pending = this.creatingBuckets.get(name);
    if (pending) return pending;
    const creating = this.persistBucket({ name, timeCreated: this.now() });
    this.creatingBuckets.set(name, creating);
    try {
      return await creating;
    } finally {
      this.creatingBuckets.delete(name);
    }
  }

  /** Explicit bucket insert: 409 when it exists, like GCS. */
  async createBucket(name: string): Promise<BucketRecord> {
    if (this.buckets.has(name) || this.creatingBuckets.has(name)) {
      throw new HttpError(409, 'conflict', `The bucket ${name} already exists.`);
    }
    return (await this.ensureBucket(name)).record;
  }

  async deleteBucket(name: string): Promise<void> {
    const b = this.buckets.get(name);
    if (!b) throw new HttpError(404, 'notFound', `The bucket ${name} does not exist.`);
    if (b.objects.size > 0)
      throw new HttpError(409, 'conflict', `The bucket ${name} is not empty.`);
    await this.persistence?.deleteBucket(name);
    this.buckets.delete(name);
  }

  /** Applies `decide` to one object atomically with respect to other writes of that object. */
  async mutate(bucket: string, name: string, decide: Decide): Promise<MutationResult> {
    const b = await this.ensureBucket(bucket);
    const apply = async (): Promise<MutationResult> => {
      const before = b.objects.get(name);
      const after = decide(before);
      if (this.persistence) {
        if (after) await this.persistence.writeObject(after);
        else if (before) await this.persistence.deleteObject(bucket, name);
      }
      this.commit(b, name, before, after);
      return { before, after };
    };
    // In memory, decide and commit run in one synchronous step: no lock needed.
    if (!this.persistence) return apply();
    return this.locks.run(`${bucket}\n${name}`, apply);
  }

  /** Waits for writes in flight (used on close). */
  async idle(): Promise<void> {
    await this.locks.idle();
  }

  private commit(
    b: BucketState,
    name: string,
    before: ObjectRecord | undefined,
    after: ObjectRecord | null,
  ): void {
    if (after) {
      if (!before) b.names.insert(name);
      b.objects.set(name, after);
    } else if (before) {
      b.objects.delete(name);
      b.names.delete(name);
    }
    if (!this.onChange) return;
    if (!after) {
      if (before) this.onChange({ kind: 'delete', object: before });
    } else if (before && before.generation === after.generation) {
      this.onChange({ kind: 'metadata', object: after });
    } else {
      this.onChange(
        before
          ? { kind: 'finalize', object: after, overwrote: before }
          : { kind: 'finalize', object: after },
      );
      if (before) this.onChange({ kind: 'delete', object: before, overwrittenBy: after });
    }
  }

  private async persistBucket(record: BucketRecord): Promise<BucketState> {
    await this.persistence?.writeBucket(record);
    return this.buckets.get(record.name) ?? this.addBucket(record);
  }

  private addBucket(record: BucketRecord): BucketState {
    const state: BucketState = { record, names: new SortedNames(), objects: new Map() };
    this.buckets.set(record.name, state);
    return state;
  }
}
