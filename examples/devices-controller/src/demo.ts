/**
 * A scripted few seconds in the life of the controller, printed as it happens: a group of devices
 * and a standalone one converge, the group rolls to new firmware, a device is factory-reset and
 * announces it, the group scales down, and is deleted (its devices cascade).
 * `src/main.ts` runs it; the tests run it faster.
 */
import { type Clock, systemClock } from '@recon/core';
import { createLogger, getCondition, type Logger, type Resource } from '@recon/sdk';
import { createDevicesController } from './controller.ts';
import { SimulatedFleet } from './fleet.ts';
import {
  deviceKind,
  type DeviceGroupSpec,
  type DeviceGroupStatus,
  type DeviceSpec,
  type DeviceStatus,
  groupKind,
} from './types.ts';

export interface DemoOptions {
  print: (line: string) => void;
  /** Firmware install time. Default 600 ms. */
  installMs?: number;
  /** Polling while installing. Default 200 ms. */
  pollMs?: number;
  /** Give up on a step after this long. Default 10 s. */
  stepTimeoutMs?: number;
  /** Default: warnings and errors only, as JSON lines on stderr. */
  logger?: Logger;
  /** Default systemClock (the demo waits in real time). */
  clock?: Clock;
}

export async function runDemo(options: DemoOptions): Promise<void> {
  const clock = options.clock ?? systemClock;
  const { print } = options;
  const started = clock.now();
  const fleet = new SimulatedFleet({ clock, installMs: options.installMs ?? 600 });
  const dc = createDevicesController({
    fleet,
    clock,
    pollMs: options.pollMs ?? 200,
    resyncMs: 30_000,
    logger:
      options.logger ??
      createLogger({ level: 'WARNING', write: (l) => process.stderr.write(l + '\n') }),
  });
  const { store, controller } = dc;
  const stamp = () => `${((clock.now() - started) / 1000).toFixed(1).padStart(5)}s`;
  controller.events.subscribe('io.example.**', (event) => {
    print(`${stamp()}  event ${event.type} ${event.subject ?? ''}`);
  });

  const summary = async (): Promise<string> => {
    const groups = (await store.list(groupKind)) as Resource<DeviceGroupSpec, DeviceGroupStatus>[];
    const devices = (await store.list(deviceKind)) as Resource<DeviceSpec, DeviceStatus>[];
    const parts = [
      ...groups.map((g) => `${g.uid}: ${g.status?.readyDevices ?? 0}/${g.spec.count} ready`),
      ...devices.map((d) => {
        const ready = getCondition(d.status, 'Ready');
        return `${d.uid}@${d.status?.firmware ?? '?'}${ready?.status === 'True' ? ' Ready' : ` ${ready?.reason ?? 'Pending'}`}`;
      }),
    ];
    return parts.join(' · ') || '(nothing)';
  };
  const converged = async (): Promise<boolean> => {
    const all = [...(await store.list(groupKind)), ...(await store.list(deviceKind))];
    return all.every(
      (r) =>
        (r.status as DeviceStatus | undefined)?.observedGeneration === r.generation &&
        getCondition(r.status as DeviceStatus, 'Ready')?.status === 'True',
    );
  };
  /** Prints `title`, runs `action`, waits until `until()` holds with nothing left to run. */
  const step = async (
    title: string,
    action: () => Promise<string | void>,
    until: () => Promise<boolean> = converged,
  ) => {
    print(`${stamp()}  ${title}`);
    const note = await action();
    if (note) print(`${stamp()}  ${note}`);
    const deadline = clock.now() + (options.stepTimeoutMs ?? 10_000);
    for (;;) {
      await controller.idle(); // what the step enqueued has run (a poll may still be pending)
      if (await until()) break;
      if (clock.now() > deadline) throw new Error(`demo step did not converge: ${title}`);
      await clock.sleep(50);
    }
    print(`${stamp()}  → ${await summary()}`);
  };

  await dc.start();
  try {
    const group = { kind: groupKind, uid: 'line-a' };
    const groupSpec = (count: number, firmware: string) => ({
      ...group,
      spec: { count, firmware, config: { site: 'berlin' } },
    });
    await step(
      'apply group line-a (3 devices, firmware 1.0.0) and device lab-1 (1.1.0)',
      async () => {
        await store.apply(groupSpec(3, '1.0.0'));
        await store.apply({
          kind: deviceKind,
          uid: 'lab-1',
          spec: { firmware: '1.1.0', config: { mode: 'test' } },
        });
      },
    );
    await step('roll line-a to firmware 1.1.0', async () => {
      await store.apply(groupSpec(3, '1.1.0'));
    });
    await step('factory-reset line-a-1; it announces io.example.device.reset', () =>
      fleet.factoryReset('line-a-1'),
    );
    await step(
      'scale line-a to 2 devices',
      async () => {
        await store.apply(groupSpec(2, '1.1.0'));
      },
      async () => !fleet.uids.includes('line-a-2') && (await converged()),
    );
    await step(
      'delete line-a',
      async () => `the store cascaded: ${(await store.delete(groupKind, 'line-a')).join(', ')}`,
      async () => fleet.uids.join() === 'lab-1',
    );
    print(`${stamp()}  fleet now: ${fleet.uids.join(', ')}`);
  } finally {
    await dc.close();
  }
}
