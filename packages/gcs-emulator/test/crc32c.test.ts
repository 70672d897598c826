import { CRC32C } from '@google-cloud/storage';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { crc32c, crc32cBase64 } from '../src/index.ts';
import { crc32cUpdate } from '../src/crc32c.ts';

describe('crc32c', () => {
  it('matches the published check value and RFC 3720 vectors', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32cBase64(Buffer.from('123456789'))).toBe('4waSgw==');
    expect(crc32cBase64(Buffer.alloc(0))).toBe('AAAAAA==');
    expect(crc32c(Buffer.alloc(32, 0))).toBe(0x8a9136aa);
    expect(crc32c(Buffer.alloc(32, 0xff))).toBe(0x62a8ab43);
    expect(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => i)))).toBe(0x46dd794e);
  });

  it('agrees with the client library on random data', () => {
    for (const size of [1, 7, 100, 4096, 65537]) {
      const data = randomBytes(size);
      const theirs = new CRC32C();
      theirs.update(data);
      expect(crc32cBase64(data)).toBe(theirs.toString());
    }
  });

  it('extends incrementally', () => {
    const data = randomBytes(1000);
    const split = crc32cUpdate(crc32cUpdate(0, data.subarray(0, 333)), data.subarray(333));
    expect(split).toBe(crc32c(data));
  });
});
