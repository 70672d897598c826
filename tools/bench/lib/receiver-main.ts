/**
 * A receiver process bound to 127.0.0.1 for the bench and the soak. The service's own entry
 * (`apps/receiver/src/main.ts`) listens on 0.0.0.0 and has no HOST variable, and both tools must
 * stay on loopback; this entry runs the same `startReceiver` over the same GCS backend.
 *
 * Env: WORKQUEUE_BUCKET, STORAGE_EMULATOR_HOST. Prints the receiver's `receiver listening` line.
 */
import { openQueue } from '@recon/backends';
import { defaultWorkqueueOptions } from '@recon/core';
import { createLogger } from '@recon/observability';
import { startReceiver } from '@recon/receiver';

const bucket = process.env['WORKQUEUE_BUCKET'];
const emulatorHost = process.env['STORAGE_EMULATOR_HOST'];
if (!bucket || !emulatorHost) {
  process.stderr.write('receiver-main: WORKQUEUE_BUCKET and STORAGE_EMULATOR_HOST are required\n');
  process.exit(2);
}
const queue = openQueue({
  mode: 'gcs',
  bucket,
  emulatorHost,
  workqueue: { ...defaultWorkqueueOptions },
});
const receiver = await startReceiver({
  queue,
  port: 0,
  host: '127.0.0.1',
  logger: createLogger({ level: 'WARNING', fields: { service: 'receiver' } }),
});
process.stdout.write(`${JSON.stringify({ message: 'receiver listening', port: receiver.port })}\n`);

const stop = () => {
  void receiver
    .close()
    .then(() => queue.close())
    .finally(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
