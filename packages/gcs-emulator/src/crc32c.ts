// CRC32C (Castagnoli), the checksum GCS reports as `crc32c`. The client compares it with its own
// after every upload, so it must be exact. Table-driven, reflected polynomial 0x82F63B78.

const POLYNOMIAL = 0x82f63b78;

function buildTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLYNOMIAL : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

const TABLE = buildTable();

/** Extends a running CRC32C (start with 0) over `bytes`. */
export function crc32cUpdate(crc: number, bytes: Uint8Array): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) {
    c = (TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8)) >>> 0;
  }
  return ~c >>> 0;
}

/** CRC32C of `bytes` as an unsigned 32-bit integer. */
export function crc32c(bytes: Uint8Array): number {
  return crc32cUpdate(0, bytes);
}

/** CRC32C as GCS spells it: base64 of the big-endian 4 bytes ("123456789" → "4waSgw=="). */
export function crc32cBase64(bytes: Uint8Array): string {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32c(bytes), 0);
  return out.toString('base64');
}
