export { startReceiver, type Receiver, type ReceiverOptions } from './receiver.ts';
export { parseReceiverConfig, type ReceiverConfig } from './config.ts';
export { serveReceiverFromEnv } from './serve-from-env.ts';
export { toWireKeyState } from './key-state-handler.ts';
