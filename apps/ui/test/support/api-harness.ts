/** The UI handler on a real socket (127.0.0.1, port 0) over a memory queue and a fake clock. */
import { FakeClock } from '@recon/core';
import { MemoryBackend } from '@recon/workqueue-memory';
import { startUi, type UiHandlerOptions, type UiServer } from '../../src/index.ts';

export interface ApiHarness {
  url: string;
  queue: MemoryBackend;
  clock: FakeClock;
  ui: UiServer;
  writes: number;
  get(path: string): Promise<{ status: number; body: any }>;
  post(
    path: string,
    body: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: any }>;
  /** Moves `key` to the dead-letter queue the way a dispatcher would. */
  deadLetter(key: string, error?: string): Promise<void>;
  /** Starts `key` (it must be the only eligible key); it stays in progress. */
  start(key: string, owner?: string): Promise<void>;
  close(): Promise<void>;
}

export const writeHeaders = { 'content-type': 'application/json', 'x-recon-ui': '1' };

export async function startApi(options: Partial<UiHandlerOptions> = {}): Promise<ApiHarness> {
  const clock = new FakeClock();
  const queue = new MemoryBackend({ clock });
  let writes = 0;
  const ui = await startUi({
    queue,
    clock,
    port: 0,
    onWrite: () => writes++,
    ...options,
  });
  const url = ui.url.replace(/\/$/, '');
  const call = async (path: string, init?: RequestInit) => {
    const res = await fetch(url + path, init);
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: res.status, body: body as any };
  };
  const start = async (key: string, owner = 'test-owner') => {
    const listing = await queue.listEligible(10);
    const entry = listing.keys.find((k) => k.key === key);
    if (!entry) throw new Error(`${key} is not eligible`);
    const owned = await queue.start(entry, owner);
    if (!owned) throw new Error(`could not start ${key}`);
    started.set(key, owned);
  };
  const started = new Map<string, Awaited<ReturnType<MemoryBackend['start']>>>();
  return {
    url,
    queue,
    clock,
    ui,
    get writes() {
      return writes;
    },
    get: (path) => call(path),
    post: (path, body, headers = writeHeaders) =>
      call(path, {
        method: 'POST',
        headers,
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    async deadLetter(key, error = 'boom') {
      await queue.enqueue({ key });
      await start(key);
      await started.get(key)?.deadLetter(error);
    },
    start,
    close: async () => {
      await ui.close();
      await queue.close();
    },
  };
}
