import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createStorage } from '@recon/backends';
import type { OwnedKey } from '@recon/core';
import { startGcsEmulator, type GcsEmulator } from '@recon/gcs-emulator';
import { GcsBackend } from '@recon/workqueue-gcs';

export interface OpenStore {
  store: GcsBackend;
  emulator: GcsEmulator;
  close(): Promise<void>;
}

/** A GCS backend over an emulator; persisted in `dataDir` when given. */
export async function openStore(
  options: { dataDir?: string; bucket?: string } = {},
): Promise<OpenStore> {
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const emulator = await startGcsEmulator({
    port: 0,
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
  });
  const store = new GcsBackend({
    storage: createStorage(emulator.url),
    bucket: options.bucket ?? 'recon-dev',
  });
  return {
    store,
    emulator,
    close: async () => {
      await store.close();
      await emulator.close();
    },
  };
}

/** Opens the local store of `recon dev` under `<cwd>/.recon`, runs `use`, and closes it. */
export async function withLocalStore(
  cwd: string,
  use: (store: GcsBackend) => Promise<void>,
): Promise<void> {
  const opened = await openStore({ dataDir: join(cwd, '.recon', 'gcs') });
  try {
    await use(opened.store);
  } finally {
    await opened.close();
  }
}

/** Starts `key` (enqueuing it first) and returns the owned, in-progress key. */
export async function startKey(
  store: GcsBackend,
  key: string,
  owner = 'test-owner',
): Promise<OwnedKey> {
  await store.enqueue({ key });
  for (let i = 0; i < 50; i++) {
    const listed = (await store.listEligible(1000)).keys.find((k) => k.key === key);
    const owned = listed && (await store.start(listed, owner));
    if (owned) return owned;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`could not start ${key}`);
}

/** Puts `key` in the dead-letter queue with `error` as its last error. */
export async function deadLetter(store: GcsBackend, key: string, error: string): Promise<void> {
  const owned = await startKey(store, key);
  await owned.deadLetter(error);
}

/** Writes `<dir>/dev.json` as a running `recon dev` would. */
export async function writeDevState(
  dir: string,
  state: { pid: number; receiver: string; storage: string; bucket: string },
): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'dev.json'), JSON.stringify(state));
}
