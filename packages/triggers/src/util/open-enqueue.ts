import type { EnqueuePort } from '@recon/core';
import { receiverEnqueuePort } from '../receiver-port.ts';

/** The port a service enqueues through: the injected one, or the receiver at `url`. */
export function openEnqueue(
  injected: EnqueuePort | undefined,
  url: string,
): { port: EnqueuePort; close(): void } {
  if (injected) return { port: injected, close: () => {} };
  const receiver = receiverEnqueuePort(url);
  return { port: receiver, close: () => receiver.close() };
}
