/**
 * The deployed shape on one machine: a standalone emulator (bucket notifications on `queued/`),
 * a fan-out standing in for the push subscriptions, a receiver process, dispatcher processes, and
 * a reconciler served with the SDK in this process, everything on 127.0.0.1.
 */
import { join } from 'node:path';
import { createWorkqueueClient, type WorkqueueClient } from '@recon/proto';
import { reconciler, serve, silentLogger, type ReconcileFn, type Served } from '@recon/sdk';
import { startEmulatorProcess, type EmulatorProcess } from './emulator-process.ts';
import { startFanOut, type FanOut } from './fanout.ts';
import { startDispatcherProcess, startReceiverProcess, type ServiceProcess } from './services.ts';

export interface StackOptions {
  workDir: string;
  reconcile: ReconcileFn;
  /** Extra dispatcher variables (concurrency, lease, …). */
  dispatcherEnv?: Record<string, string>;
}

export interface Stack {
  readonly bucket: string;
  readonly emulator: EmulatorProcess;
  readonly fanOut: FanOut;
  readonly receiver: ServiceProcess;
  readonly dispatcher: ServiceProcess;
  readonly reconciler: Served;
  /** A client of the receiver. */
  readonly client: WorkqueueClient;
  /** Processes by role, for CPU and memory readings. */
  readonly pids: Record<string, number>;
  stop(): Promise<void>;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const bucket = `bench-${Date.now().toString(36)}`;
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  try {
    const fanOut = await startFanOut();
    stops.push(() => fanOut.close());
    const emulator = await startEmulatorProcess({
      notifyUrl: fanOut.url,
      logFile: join(options.workDir, 'emulator.log'),
    });
    stops.push(() => emulator.stop());
    const served = await serve(reconciler(options.reconcile, { name: 'bench' }), {
      port: 0,
      host: '127.0.0.1',
      handleSignals: false,
      logger: silentLogger,
    });
    stops.push(() => served.close());
    const receiver = await startReceiverProcess({
      bucket,
      emulatorHost: emulator.host,
      logFile: join(options.workDir, 'receiver.log'),
    });
    stops.push(() => receiver.child.stop());
    const dispatcher = await startDispatcherProcess({
      name: 'dispatcher',
      bucket,
      emulatorHost: emulator.host,
      target: `http://127.0.0.1:${served.port}`,
      env: options.dispatcherEnv ?? {},
      logFile: join(options.workDir, 'dispatcher.log'),
    });
    stops.push(() => dispatcher.child.stop());
    fanOut.setTargets([dispatcher.url]);
    const client = createWorkqueueClient(receiver.url);
    stops.push(async () => client.close());
    return {
      bucket,
      emulator,
      fanOut,
      receiver,
      dispatcher,
      reconciler: served,
      client,
      pids: {
        emulator: emulator.child.pid,
        receiver: receiver.child.pid,
        dispatcher: dispatcher.child.pid,
        'bench (load + reconciler)': process.pid,
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
