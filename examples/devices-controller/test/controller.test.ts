import { FakeClock } from '@recon/core';
import {
  type Condition,
  getCondition,
  MemoryResourceStore,
  type ReconEvent,
  type Resource,
  type ResourceStore,
  silentLogger,
} from '@recon/sdk';
import { ms } from '@recon/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createDevicesController, type DevicesController } from '../src/controller.ts';
import { controllerEventTypes } from '../src/device-reconciler.ts';
import { SimulatedFleet } from '../src/fleet.ts';
import {
  deviceKind,
  type DeviceGroupStatus,
  type DeviceSpec,
  type DeviceStatus,
  groupKind,
} from '../src/types.ts';
import { advanceUntil, settle } from './support/drive.ts';
import { GatedStore } from './support/gated-store.ts';

const running: DevicesController[] = [];
afterEach(async () => {
  for (const dc of running.splice(0)) await dc.close();
});

/** A controller on a FakeClock: installs take 2 s, polls every 500 ms, resync every hour. */
async function startController(store: ResourceStore = new MemoryResourceStore()) {
  const clock = new FakeClock();
  const fleet = new SimulatedFleet({ clock, installMs: 2000 });
  const dc = createDevicesController({
    fleet,
    store,
    clock,
    logger: silentLogger,
    pollMs: 500,
    resyncMs: ms('1h'),
  });
  running.push(dc);
  const attempts: string[] = [];
  const emitted: ReconEvent[] = [];
  dc.controller.observe({ onAttemptStart: ({ key }) => void attempts.push(key) });
  dc.controller.events.subscribe('io.example.controller.**', (e) => void emitted.push(e));
  await dc.start();
  const device = (uid: string) => store.get<DeviceSpec, DeviceStatus>(deviceKind, uid);
  const settled = () => settle(clock, dc.controller);
  return { clock, fleet, store, dc, attempts, emitted, device, settled };
}

const spec = (firmware: string, config: Record<string, string> = {}): DeviceSpec => ({
  firmware,
  config,
});
const ready = (r: Resource<unknown, DeviceStatus> | undefined): Condition | undefined =>
  getCondition(r?.status, 'Ready');
const updating = (r: Resource<unknown, DeviceStatus> | undefined): Condition | undefined =>
  getCondition(r?.status, 'Updating');

describe('devices controller', () => {
  it('converges a group of devices to Ready, each owned by the group', async () => {
    const t = await startController();
    await t.store.apply({
      kind: groupKind,
      uid: 'line-a',
      spec: { count: 3, firmware: '1.0.0', config: { site: 'berlin' } },
    });
    await t.settled();

    for (const uid of ['line-a-0', 'line-a-1', 'line-a-2']) {
      const d = await t.device(uid);
      expect(d?.ownerRefs).toEqual([{ kind: groupKind, uid: 'line-a' }]);
      expect(d?.status).toMatchObject({ observedGeneration: 1, firmware: '1.0.0' });
      expect(ready(d)).toMatchObject({
        status: 'True',
        reason: 'Converged',
        observedGeneration: 1,
      });
      expect(updating(d)).toMatchObject({ status: 'False', reason: 'UpToDate' });
      expect(t.fleet.observe(uid)).toMatchObject({ firmware: '1.0.0', config: { site: 'berlin' } });
    }
    const group = await t.store.get<unknown, DeviceGroupStatus>(groupKind, 'line-a');
    expect(group?.status).toMatchObject({ observedGeneration: 1, devices: 3, readyDevices: 3 });
    expect(getCondition(group?.status, 'Ready')).toMatchObject({
      status: 'True',
      message: '3/3 devices ready',
    });
    expect(t.emitted.map((e) => `${e.type} ${e.subject}`).sort()).toEqual(
      ['line-a-0', 'line-a-1', 'line-a-2'].map((uid) => `${controllerEventTypes.ready} ${uid}`),
    );
  });

  it('keeps a spec edit made while a status update is in flight', async () => {
    const store = new GatedStore();
    const t = await startController(store);
    const hold = store.holdNextStatusWrite();
    await store.apply({ kind: deviceKind, uid: 'd1', spec: spec('1.0.0') });
    let reached = false;
    void hold.reached.then(() => (reached = true));
    await advanceUntil(t.clock, () => reached); // the reconcile of generation 1 is about to write status

    await store.apply({ kind: deviceKind, uid: 'd1', spec: spec('2.0.0', { mode: 'fast' }) }); // the edit
    hold.release();
    await hold.settled;

    const [first] = store.writes;
    expect(first?.status).toMatchObject({ observedGeneration: 1 }); // the status it computed for gen 1…
    expect(first?.after).toMatchObject({ generation: 2, spec: spec('2.0.0', { mode: 'fast' }) }); // …left the edit alone

    await t.settled(); // the edit enqueued the key during the reconcile: one follow-up run
    const d = await t.device('d1');
    expect(d).toMatchObject({ generation: 2, spec: spec('2.0.0', { mode: 'fast' }) });
    expect(d?.status).toMatchObject({ observedGeneration: 2, firmware: '2.0.0' });
    expect(ready(d)?.status).toBe('True');
    expect(t.fleet.observe('d1')).toMatchObject({ firmware: '2.0.0', config: { mode: 'fast' } });
  });

  it('a status write that lost the compare-and-swap is retried from fresh state', async () => {
    const store = new GatedStore();
    const t = await startController(store);
    const hold = store.holdNextStatusWrite();
    let failures = 0;
    t.dc.controller.observe({ onError: () => void failures++ });
    await store.apply({ kind: deviceKind, uid: 'd1', spec: spec('1.0.0') });
    let reached = false;
    void hold.reached.then(() => (reached = true));
    await advanceUntil(t.clock, () => reached);

    const d = await store.get(deviceKind, 'd1'); // another writer of status gets there first
    await store.updateStatus(deviceKind, 'd1', { note: 'audited' }, d?.statusVersion ?? 0);
    hold.release();
    await expect(hold.settled).rejects.toMatchObject({ code: 'CONFLICT' });

    await t.settled();
    expect(failures).toBe(1);
    expect(ready(await t.device('d1'))?.status).toBe('True');
  });

  it('deleting a group deletes its devices (cascade), which are decommissioned', async () => {
    const t = await startController();
    await t.store.apply({ kind: groupKind, uid: 'line-a', spec: { count: 2, ...spec('1.0.0') } });
    await t.store.apply({ kind: deviceKind, uid: 'lab-1', spec: spec('1.0.0') });
    await t.settled();
    expect(t.fleet.uids).toEqual(['lab-1', 'line-a-0', 'line-a-1']);

    expect(await t.store.delete(groupKind, 'line-a')).toEqual([
      'device-group/line-a',
      'device/line-a-0',
      'device/line-a-1',
    ]);
    await t.settled();
    expect((await t.store.list(deviceKind)).map((d) => d.uid)).toEqual(['lab-1']);
    expect(t.fleet.uids).toEqual(['lab-1']);
  });

  it('scaling a group down deletes and decommissions the devices beyond its count', async () => {
    const t = await startController();
    await t.store.apply({ kind: groupKind, uid: 'g', spec: { count: 3, ...spec('1.0.0') } });
    await t.settled();
    await t.store.apply({ kind: groupKind, uid: 'g', spec: { count: 1, ...spec('1.0.0') } });
    await t.settled();
    expect(t.fleet.uids).toEqual(['g-0']);
    const group = await t.store.get<unknown, DeviceGroupStatus>(groupKind, 'g');
    expect(group?.status).toMatchObject({ observedGeneration: 2, devices: 1, readyDevices: 1 });
  });

  it('events on the bus trigger reconciles; other event types do not', async () => {
    const t = await startController();
    await t.store.apply({ kind: deviceKind, uid: 'd1', spec: spec('1.0.0') });
    await t.settled();

    await t.fleet.factoryReset('d1', { announce: false }); // drift nobody announced
    const before = t.attempts.length;
    await t.settled();
    expect(t.attempts.length).toBe(before); // nothing looked
    expect(t.fleet.observe('d1')?.firmware).toBe('0.0.0');

    await t.dc.controller.events.publish({
      specversion: '1.0',
      id: 'x-1',
      source: '/other',
      type: 'io.example.other.changed',
      subject: 'd1',
    });
    await t.settled();
    expect(t.attempts.length).toBe(before);

    await t.fleet.heartbeat('d1'); // io.example.device.heartbeat, subject d1 → key device/d1
    await t.settled();
    expect(t.attempts.slice(before)[0]).toBe('device/d1');
    expect(t.fleet.observe('d1')?.firmware).toBe('1.0.0');
    expect(ready(await t.device('d1'))?.status).toBe('True');
  });

  it('the periodic resync catches drift that no event announced', async () => {
    const t = await startController();
    await t.store.apply({ kind: deviceKind, uid: 'd1', spec: spec('1.0.0') });
    await t.settled();
    await t.fleet.factoryReset('d1', { announce: false });

    await advanceUntil(t.clock, () => t.fleet.observe('d1')?.firmware === '1.0.0', ms('2h'), 1000);
    expect(t.clock.now() - Date.UTC(2026, 0, 1)).toBeGreaterThanOrEqual(ms('1h')); // at the resync
    await t.settled();
    expect(ready(await t.device('d1'))?.status).toBe('True');
  });

  it("moves a condition's lastTransitionTime only when its status flips", async () => {
    const t = await startController();
    await t.store.apply({ kind: deviceKind, uid: 'd1', spec: spec('1.0.0') });
    await t.settled();
    const converged = await t.device('d1');
    const readySince = ready(converged)?.lastTransitionTime;
    expect(readySince).toBeDefined();
    expect(Date.parse(readySince ?? '')).toBeGreaterThanOrEqual(Date.UTC(2026, 0, 1) + 2000); // after the install

    await t.clock.advance(ms('10m'));
    const runs = t.attempts.length;
    await t.fleet.heartbeat('d1'); // reconciles; nothing changed
    await t.settled();
    expect(t.attempts.length).toBe(runs + 1);
    const unchanged = await t.device('d1');
    expect(ready(unchanged)?.lastTransitionTime).toBe(readySince);
    expect(unchanged?.statusVersion).toBe(converged?.statusVersion); // not even rewritten

    await t.store.apply({ kind: deviceKind, uid: 'd1', spec: spec('1.0.0', { mode: 'quiet' }) }); // config only
    await t.settled();
    const reconfigured = await t.device('d1');
    expect(reconfigured?.status?.observedGeneration).toBe(2);
    expect(ready(reconfigured)).toMatchObject({
      status: 'True',
      lastTransitionTime: readySince,
      observedGeneration: 2,
    });

    await t.clock.advance(ms('10m'));
    const resetAt = t.clock.now();
    await t.fleet.factoryReset('d1'); // announced: Ready flips to False, then back to True
    await advanceUntil(t.clock, async () => ready(await t.device('d1'))?.status === 'False');
    const degraded = await t.device('d1');
    expect(Date.parse(ready(degraded)?.lastTransitionTime ?? '')).toBeGreaterThanOrEqual(resetAt);
    expect(updating(degraded)?.status).toBe('True');
    await t.settled();
    const recovered = ready(await t.device('d1'));
    expect(recovered?.status).toBe('True');
    expect(Date.parse(recovered?.lastTransitionTime ?? '')).toBeGreaterThanOrEqual(resetAt + 2000);
    expect(t.emitted.map((e) => e.type)).toEqual([
      controllerEventTypes.ready,
      controllerEventTypes.notReady,
      controllerEventTypes.ready,
    ]);
  });

  it('reports an invalid spec in status and waits for an edit instead of retrying', async () => {
    const t = await startController();
    await t.store.apply({
      kind: deviceKind,
      uid: 'd1',
      spec: { firmware: 'latest', config: { port: 80 } },
    });
    await t.settled();
    expect(ready(await t.device('d1'))).toMatchObject({
      status: 'False',
      reason: 'InvalidSpec',
      message:
        'spec.firmware: must be a version like 1.4.2, got "latest"; spec.config: must be an object of strings',
    });
    expect(t.attempts).toEqual(['device/d1']);
    expect(t.fleet.uids).toEqual([]);

    await t.store.apply({ kind: deviceKind, uid: 'd1', spec: spec('1.0.0') });
    await t.settled();
    expect(ready(await t.device('d1'))?.status).toBe('True');
  });
});
