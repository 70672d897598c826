/**
 * Fills a queue bucket through the real GCS backend (one enqueue per key, as a receiver does),
 * in its own process so several fillers use both cores. Env: EMULATOR_URL, BUCKET, FROM, TO,
 * CONCURRENCY, PREFIX. Prints `filled <n>` when done.
 */
import { Storage } from '@google-cloud/storage';
import { GcsBackend } from '@recon/workqueue-gcs';

const env = (name: string): string => {
  const v = process.env[name];
  if (!v) {
    process.stderr.write(`fill-main: ${name} is required\n`);
    process.exit(2);
  }
  return v;
};
const from = Number(env('FROM'));
const to = Number(env('TO'));
const prefix = env('PREFIX');
const storage = new Storage({ apiEndpoint: env('EMULATOR_URL'), projectId: 'bench' });
const backend = new GcsBackend({ storage, bucket: env('BUCKET') });
let next = from;
await Promise.all(
  Array.from({ length: Number(env('CONCURRENCY')) }, async () => {
    while (next < to) await backend.enqueue({ key: `${prefix}${String(next++).padStart(7, '0')}` });
  }),
);
await backend.close();
process.stdout.write(`filled ${to - from}\n`);
