import { afterEach, describe, expect, it } from 'vitest';
import type { GcsEmulator } from '../src/index.ts';
import { InvalidOptionError, startGcsEmulator } from '../src/index.ts';
import { noRetryClient, statusOf } from './helpers.ts';

let emulator: GcsEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const upload = (url: string, name: string): Promise<number> =>
  fetch(`${url}/upload/storage/v1/b/faults/o?uploadType=media&name=${name}`, {
    method: 'POST',
    body: name,
  }).then(async (r) => {
    await r.arrayBuffer();
    return r.status;
  });

describe('fault injection', () => {
  it('errorRate=1 answers every API request with an injected error, uncounted', async () => {
    emulator = await startGcsEmulator({ faults: { errorRate: 1, errorStatuses: [503] } });
    const file = noRetryClient(emulator).bucket('faults').file('x');
    const err = await file.save('x', { resumable: false }).catch((e: unknown) => e);
    expect(statusOf(err)).toBe(503);
    expect(statusOf(await file.getMetadata().catch((e: unknown) => e))).toBe(503);
    expect(emulator.counters()).toMatchObject({ classA: 0, classB: 0, rejected: 0 });
    // Control endpoints are exempt.
    expect((await fetch(`${emulator.url}/_emulator/healthz`)).status).toBe(200);

    emulator.setFaults({});
    await file.save('x', { resumable: false });
    expect(emulator.counters().classA).toBe(1);
  });

  it('defaults to 429 and 503', async () => {
    emulator = await startGcsEmulator({ seed: 1 });
    emulator.setFaults({ errorRate: 1 });
    const statuses = new Set<number>();
    for (let i = 0; i < 30; i++) statuses.add(await upload(emulator.url, `s${i}`));
    expect([...statuses].sort()).toEqual([429, 503]);
  });

  it('is set over HTTP and validated', async () => {
    emulator = await startGcsEmulator();
    const put = (body: unknown): Promise<Response> =>
      fetch(`${emulator!.url}/_emulator/faults`, { method: 'PUT', body: JSON.stringify(body) });
    const bad = await put({ errorRate: 2 });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('errorRate');
    const ok = await put({ errorRate: 1, errorStatuses: [500] });
    expect(await ok.json()).toEqual({
      errorRate: 1,
      errorStatuses: [500],
      latencyMs: 0,
      dropRate: 0,
    });
    expect(await upload(emulator.url, 'a')).toBe(500);
    await put({});
    expect(await upload(emulator.url, 'a')).toBe(200);
    expect(() => emulator!.setFaults({ dropRate: -1 })).toThrow(InvalidOptionError);
  });

  it('adds latency', async () => {
    emulator = await startGcsEmulator({ faults: { latencyMs: 150 } });
    const started = performance.now();
    expect(await upload(emulator.url, 'slow')).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
  });

  it('drops connections, half before and half after applying the operation', async () => {
    emulator = await startGcsEmulator({ faults: { dropRate: 1 }, seed: 42 });
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) => upload(emulator!.url, `d${i}`)),
    );
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    emulator.setFaults({});
    const [files] = await noRetryClient(emulator).bucket('faults').getFiles();
    // Applied-then-dropped writes exist; dropped-before ones do not.
    expect(files.length).toBeGreaterThan(5);
    expect(files.length).toBeLessThan(35);
    expect(emulator.counters().byOperation['objects.insert']).toBe(files.length);
  });

  it('is deterministic for a seed', async () => {
    const pattern = async (): Promise<string> => {
      const e = await startGcsEmulator({ faults: { dropRate: 0.3, errorRate: 0.3 }, seed: 7 });
      let out = '';
      for (let i = 0; i < 30; i++) {
        out += await upload(e.url, `p${i}`).then(
          (s) => (s === 200 ? '.' : 'E'),
          () => 'D',
        );
      }
      await e.close();
      return out;
    };
    const a = await pattern();
    expect(a).toMatch(/D/);
    expect(a).toMatch(/E/);
    expect(await pattern()).toBe(a);
  });
});
