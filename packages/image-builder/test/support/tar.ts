// Reads a gzip'd tar layer back into memory for assertions.
import { gunzipSync } from 'node:zlib';
import { extract, type Header } from 'tar-stream';

export interface TarRecord {
  readonly header: Header;
  readonly body: Buffer;
}

export async function readTar(tar: Uint8Array): Promise<TarRecord[]> {
  const records: TarRecord[] = [];
  const reader = extract();
  const done = (async () => {
    for await (const entry of reader) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      records.push({ header: entry.header, body: Buffer.concat(chunks) });
    }
  })();
  reader.end(Buffer.from(tar));
  await done;
  return records;
}

export async function readLayer(blob: Uint8Array): Promise<TarRecord[]> {
  return readTar(gunzipSync(blob));
}
