import { FakeClock } from '@recon/core';
import { getCondition, isReconciler, MemoryResourceStore } from '@recon/sdk';
import { createHarness, ms } from '@recon/testkit';
import { describe, expect, it } from 'vitest';
import { createDevicesReconciler } from '../src/devices-reconciler.ts';
import { SimulatedFleet } from '../src/fleet.ts';
import { deviceKind, type DeviceGroupStatus, type DeviceStatus, groupKind } from '../src/types.ts';

// The same reconcilers behind one routed reconciler, as `serve()` / `recon dev` run them: no store
// watch, no bus. Follow-up keys (`queueKeys`) carry the work from a group to its devices and back.
describe('served (one reconciler for both kinds), on the test kit harness', () => {
  it('converges a group through follow-up keys alone', async () => {
    const clock = new FakeClock();
    const store = new MemoryResourceStore();
    const fleet = new SimulatedFleet({ clock, installMs: 2000 });
    const h = createHarness(createDevicesReconciler({ store, fleet, pollMs: 500 }), { clock });
    await store.apply({
      kind: groupKind,
      uid: 'g',
      spec: { count: 2, firmware: '1.0.0', config: {} },
    });
    await h.enqueue('device-group/g');
    const summary = await h.run();

    expect(summary.quiescent).toBe(true);
    expect(h.outcomes('device-group/g')[0]).toMatchObject({
      kind: 'success',
      followUps: ['device/g-0', 'device/g-1'],
    });
    expect(h.outcomes('device/g-0').map((o) => o.kind)).toEqual([
      'requeue-after', // install started, polls every 500 ms…
      'requeue-after',
      'requeue-after',
      'requeue-after',
      'success', // …Ready after 2 s; tells its owner
    ]);
    expect(h.outcomes('device/g-0').at(-1)).toMatchObject({
      at: ms('2s'),
      followUps: ['device-group/g'],
    });
    const group = await store.get<unknown, DeviceGroupStatus>(groupKind, 'g');
    expect(group?.status).toMatchObject({ readyDevices: 2 });
    expect(getCondition(group?.status, 'Ready')?.status).toBe('True');
    const device = await store.get<unknown, DeviceStatus>(deviceKind, 'g-1');
    expect(device?.status).toMatchObject({ firmware: '1.0.0', observedGeneration: 1 });
    expect(h.events.map((e) => e.type)).toEqual([
      'io.example.controller.device.ready',
      'io.example.controller.device.ready',
    ]);
  });

  it('drops keys of unknown kinds', async () => {
    const h = createHarness(
      createDevicesReconciler({ store: new MemoryResourceStore(), fleet: new SimulatedFleet() }),
    );
    for (const key of ['pump/1', 'no-kind']) await h.enqueue(key);
    await h.run();
    expect(h.outcomes('pump/1')).toMatchObject([{ kind: 'non-retriable', action: 'dropped' }]);
    expect(h.outcomes('no-kind')).toMatchObject([{ kind: 'non-retriable', action: 'dropped' }]);
  });

  it('the entry recon dev loads exports a reconciler, over a seeded module-level store', async () => {
    const entry = (await import('../src/reconciler.ts')) as {
      default: unknown;
      store: MemoryResourceStore;
    };
    expect(isReconciler(entry.default)).toBe(true);
    expect((await entry.store.list(groupKind)).map((g) => g.uid)).toEqual(['demo']);
  });
});
