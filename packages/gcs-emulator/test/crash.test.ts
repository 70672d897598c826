// kill -9 the standalone emulator while it writes, restart it on the same directory: every
// object must load whole, and every acknowledged write must still be there.

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { crc32cBase64 } from '../src/index.ts';
import { tempDir } from './helpers.ts';

const MAIN = join(import.meta.dirname, '..', 'src', 'main.ts');
const children: ChildProcess[] = [];

afterEach(() => {
  for (const c of children.splice(0))
    if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

async function spawnEmulator(
  dataDir: string,
): Promise<{ child: ChildProcess; url: string; stderr: () => string }> {
  const child = spawn(process.execPath, [MAIN, '--port', '0', '--data', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /gcs-emulator listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`emulator exited (${code}): ${err}`)));
  });
  return { child, url, stderr: () => err };
}

function bodyFor(name: string, seq: number): string {
  // Big enough that a write takes a while; self-describing so a torn body cannot parse.
  const pad = 'x'.repeat(((seq * 7919) % 400) * 1024);
  return JSON.stringify({ name, seq, pad });
}

describe('crash safety', () => {
  it('survives kill -9 in the middle of writes', async () => {
    const dir = await tempDir();
    try {
      const first = await spawnEmulator(dir.path);
      const acked = new Map<string, bigint>();
      let seq = 0;
      let stop = false;
      const worker = async (): Promise<void> => {
        while (!stop) {
          const n = seq++;
          const name = `crash/${n % 40}/name with spaces %2F`;
          try {
            const res = await fetch(
              `${first.url}/upload/storage/v1/b/crash/o?uploadType=media&name=${encodeURIComponent(name)}`,
              {
                method: 'POST',
                body: bodyFor(name, n),
              },
            );
            const json = (await res.json()) as { generation: string };
            if (res.status === 200) {
              const g = BigInt(json.generation);
              if (!acked.has(name) || acked.get(name)! < g) acked.set(name, g);
            }
          } catch {
            return; // the process is gone
          }
        }
      };
      const workers = Array.from({ length: 16 }, worker);
      // Let writes get going (the machine may be slow), then kill in the middle of them.
      const deadline = Date.now() + 10_000;
      while (acked.size < 20 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 300));
      first.child.kill('SIGKILL');
      stop = true;
      await Promise.all(workers);
      expect(acked.size).toBeGreaterThan(10);

      const second = await spawnEmulator(dir.path);
      const list = (await (
        await fetch(`${second.url}/storage/v1/b/crash/o?maxResults=1000`)
      ).json()) as {
        items: { name: string; generation: string; crc32c: string; size: string }[];
      };
      expect(list.items.length).toBeGreaterThanOrEqual(acked.size);
      for (const item of list.items) {
        const media = Buffer.from(
          await (
            await fetch(`${second.url}/b/crash/o/${encodeURIComponent(item.name)}?alt=media`)
          ).arrayBuffer(),
        );
        expect(media.length).toBe(Number(item.size));
        expect(crc32cBase64(media)).toBe(item.crc32c);
        const parsed = JSON.parse(media.toString()) as { name: string };
        expect(parsed.name).toBe(item.name);
      }
      for (const [name, generation] of acked) {
        const item = list.items.find((i) => i.name === name);
        expect(item, name).toBeDefined();
        expect(BigInt(item!.generation) >= generation).toBe(true);
      }
      const leftovers: string[] = [];
      for (const shard of await readdir(join(dir.path, 'objects'))) {
        leftovers.push(
          ...(await readdir(join(dir.path, 'objects', shard))).filter((f) => f.endsWith('.tmp')),
        );
      }
      expect(leftovers).toEqual([]);
      expect(second.stderr()).not.toContain('unreadable');

      // SIGTERM stops it cleanly.
      const exited = new Promise<number | null>((resolve) =>
        second.child.once('exit', (code) => resolve(code)),
      );
      second.child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      await dir.remove();
    }
  }, 30_000);
});
