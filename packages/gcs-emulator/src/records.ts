// What the emulator stores: one live version per object name, plus bucket records.

/** Object fields a client may set (on insert, patch, update, rewrite, compose). */
export interface WritableFields {
  readonly contentType: string;
  readonly cacheControl?: string;
  readonly contentDisposition?: string;
  readonly contentEncoding?: string;
  readonly contentLanguage?: string;
  /** User metadata (GCS `metadata`): string values only. */
  readonly metadata: Readonly<Record<string, string>>;
}

export interface ObjectRecord {
  readonly bucket: string;
  readonly name: string;
  readonly generation: number;
  readonly metageneration: number;
  readonly data: Buffer;
  /** base64 big-endian CRC32C of `data`. */
  readonly crc32c: string;
  /** base64 MD5 of `data`. */
  readonly md5Hash: string;
  /** Epoch milliseconds. */
  readonly timeCreated: number;
  /** Epoch milliseconds. */
  readonly updated: number;
  readonly fields: WritableFields;
}

export interface BucketRecord {
  readonly name: string;
  /** Epoch milliseconds. */
  readonly timeCreated: number;
}

export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

/** The optional string fields of `WritableFields`, in the order resources list them. */
export const OPTIONAL_STRING_FIELDS = [
  'cacheControl',
  'contentDisposition',
  'contentEncoding',
  'contentLanguage',
] as const;
