import { describe, expect, it } from 'vitest';
import { benchEmulator } from '../src/index.ts';

describe('benchEmulator', () => {
  it('returns request rates for each mix', async () => {
    const result = await benchEmulator({ seconds: 1, concurrency: 4 });
    for (const phase of [result.create, result.patch, result.delete, result.lifecycle]) {
      expect(phase.requests).toBeGreaterThan(0);
      expect(phase.errors).toBe(0);
      expect(phase.requestsPerSecond).toBeGreaterThan(0);
    }
    expect(result.lifecycle.keysPerSecond).toBeCloseTo(result.lifecycle.requestsPerSecond / 5);
  });
});
