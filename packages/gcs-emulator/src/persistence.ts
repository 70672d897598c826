// Disk persistence under `dataDir`. One file per object, named by a hash of (bucket, name) —
// object names are data, never paths. Every write goes to a temp file that is then renamed over
// the old one, so a killed process leaves each object whole: the old version or the new one.
//
//   dataDir/buckets/<sha256(bucket)>.json
//   dataDir/objects/<hh>/<sha256(bucket \n name)>.obj   JSON header line, "\n", then the body

import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32cBase64 } from './crc32c.ts';
import type { BucketRecord, ObjectRecord, WritableFields } from './records.ts';

const FORMAT = 1;
const TMP_SUFFIX = '.tmp';
const LOAD_CONCURRENCY = 64;

interface ObjectHeader {
  v: number;
  bucket: string;
  name: string;
  generation: number;
  metageneration: number;
  timeCreated: number;
  updated: number;
  size: number;
  crc32c: string;
  md5Hash: string;
  fields: WritableFields;
}

export interface LoadedState {
  buckets: BucketRecord[];
  objects: ObjectRecord[];
  /** Files that failed to parse or verify (never produced by this code; reported, skipped). */
  corrupt: string[];
  /** Leftover temp files from a killed process, removed. */
  removedTempFiles: number;
}

export interface PersistenceOptions {
  /** Directory holding the store; created if missing. */
  readonly dataDir: string;
  /** fsync each file before renaming it (survives power loss, not just a killed process). */
  readonly fsync: boolean;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export class Persistence {
  private readonly objectsDir: string;
  private readonly bucketsDir: string;
  private readonly fsync: boolean;
  private tmpSeq = 0;

  constructor(options: PersistenceOptions) {
    this.objectsDir = join(options.dataDir, 'objects');
    this.bucketsDir = join(options.dataDir, 'buckets');
    this.fsync = options.fsync;
  }

  /** Creates the layout, removes temp files left by a crash and reads everything back. */
  async open(): Promise<LoadedState> {
    await mkdir(this.bucketsDir, { recursive: true });
    const shards = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
    await Promise.all(shards.map((s) => mkdir(join(this.objectsDir, s), { recursive: true })));

    const state: LoadedState = { buckets: [], objects: [], corrupt: [], removedTempFiles: 0 };
    const bucketFiles = await this.collect(this.bucketsDir, state);
    await forEachLimited(bucketFiles, async (file) => {
      try {
        const parsed = JSON.parse(await readFile(file, 'utf8')) as BucketRecord;
        if (typeof parsed.name !== 'string' || typeof parsed.timeCreated !== 'number')
          throw new Error();
        state.buckets.push({ name: parsed.name, timeCreated: parsed.timeCreated });
      } catch {
        state.corrupt.push(file);
      }
    });
    const objectFiles = (
      await Promise.all(shards.map((s) => this.collect(join(this.objectsDir, s), state)))
    ).flat();
    await forEachLimited(objectFiles, async (file) => {
      const rec = decodeObject(await readFile(file));
      if (rec) state.objects.push(rec);
      else state.corrupt.push(file);
    });
    return state;
  }

  async writeObject(rec: ObjectRecord): Promise<void> {
    await this.atomicWrite(this.objectPath(rec.bucket, rec.name), encodeObject(rec));
  }

  async deleteObject(bucket: string, name: string): Promise<void> {
    await unlinkIfPresent(this.objectPath(bucket, name));
  }

  async writeBucket(rec: BucketRecord): Promise<void> {
    const body = JSON.stringify({ v: FORMAT, name: rec.name, timeCreated: rec.timeCreated });
    await this.atomicWrite(this.bucketPath(rec.name), Buffer.from(body));
  }

  async deleteBucket(name: string): Promise<void> {
    await unlinkIfPresent(this.bucketPath(name));
  }

  private objectPath(bucket: string, name: string): string {
    const h = sha256(`${bucket}\n${name}`);
    return join(this.objectsDir, h.slice(0, 2), `${h}.obj`);
  }

  private bucketPath(name: string): string {
    return join(this.bucketsDir, `${sha256(name)}.json`);
  }

  private async atomicWrite(path: string, data: Buffer): Promise<void> {
    const tmp = `${path}.${process.pid}.${++this.tmpSeq}${TMP_SUFFIX}`;
    try {
      await writeFile(tmp, data, { flush: this.fsync });
      await rename(tmp, path);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  /** Lists the files of `dir`, deleting leftover temp files on the way. */
  private async collect(dir: string, state: LoadedState): Promise<string[]> {
    const files: string[] = [];
    for (const entry of await readdir(dir)) {
      const path = join(dir, entry);
      if (entry.endsWith(TMP_SUFFIX)) {
        await rm(path, { force: true });
        state.removedTempFiles++;
      } else {
        files.push(path);
      }
    }
    return files;
  }
}

export function encodeObject(rec: ObjectRecord): Buffer {
  const header: ObjectHeader = {
    v: FORMAT,
    bucket: rec.bucket,
    name: rec.name,
    generation: rec.generation,
    metageneration: rec.metageneration,
    timeCreated: rec.timeCreated,
    updated: rec.updated,
    size: rec.data.length,
    crc32c: rec.crc32c,
    md5Hash: rec.md5Hash,
    fields: rec.fields,
  };
  // JSON.stringify escapes newlines, so the first "\n" always ends the header.
  return Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), rec.data]);
}

/** Parses and verifies (size, CRC32C) one object file; undefined when it does not check out. */
export function decodeObject(file: Buffer): ObjectRecord | undefined {
  const nl = file.indexOf(10);
  if (nl < 0) return undefined;
  let h: ObjectHeader;
  try {
    h = JSON.parse(file.subarray(0, nl).toString('utf8')) as ObjectHeader;
  } catch {
    return undefined;
  }
  const data = Buffer.from(file.subarray(nl + 1));
  if (h.v !== FORMAT || data.length !== h.size || crc32cBase64(data) !== h.crc32c) return undefined;
  return {
    bucket: h.bucket,
    name: h.name,
    generation: h.generation,
    metageneration: h.metageneration,
    data,
    crc32c: h.crc32c,
    md5Hash: h.md5Hash,
    timeCreated: h.timeCreated,
    updated: h.updated,
    fields: h.fields,
  };
}

async function unlinkIfPresent(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

async function forEachLimited<T>(
  items: readonly T[],
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(LOAD_CONCURRENCY, items.length) }, worker));
}
