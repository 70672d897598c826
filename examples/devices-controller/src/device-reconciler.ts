/**
 * `device/<uid>`: make the device in the fleet run the firmware and configuration of its spec,
 * and say so in its status.
 *
 * Level-based: it reads the resource and the device as they are now and never asks what event
 * brought it here. While an install runs it polls (`requeueAfter`); once the device matches, it
 * is `done()`. A device whose resource is gone (deleted, or cascaded from its group) is
 * decommissioned. When `Ready` flips (either way) it emits a CloudEvent and, for a device with
 * owners, asks for its owners to be reconciled (`queueKeys`) so a group's readiness follows its
 * devices'.
 */
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import {
  done,
  isConditionTrue,
  nonRetriable,
  parseResourceKey,
  queueKeys,
  type ReconcileContext,
  type ReconcileFn,
  type ReconcileResult,
  requeueAfter,
  resourceKey,
  type ResourceStore,
  setCondition,
  setObservedGeneration,
} from '@recon/sdk';
import type { SimulatedFleet } from './fleet.ts';
import { writeStatus } from './status.ts';
import { type DeviceSpec, deviceKind, type DeviceStatus, deviceSpecProblems } from './types.ts';

export interface DeviceReconcilerOptions {
  store: ResourceStore;
  fleet: SimulatedFleet;
  /** How often to look at a device while its firmware installs. Default 1 s. */
  pollMs?: number;
}

/** Event types the controller emits (outside the `io.example.device.*` it watches). */
export const controllerEventTypes = {
  ready: 'io.example.controller.device.ready',
  notReady: 'io.example.controller.device.not-ready',
} as const;

export function reconcileDevice(options: DeviceReconcilerOptions): ReconcileFn {
  const { store, fleet } = options;
  const pollMs = options.pollMs ?? 1000;

  return async (key, ctx): Promise<ReconcileResult> => {
    const ref = parseResourceKey(key);
    if (ref?.kind !== deviceKind)
      return nonRetriable(new Error(`not a device key: ${key}`), 'invalid-key');
    const { uid } = ref;
    const device = await store.get<DeviceSpec, DeviceStatus>(deviceKind, uid, ctx.signal);
    if (!device) {
      if (fleet.decommission(uid)) ctx.logger.info('device resource gone; decommissioned');
      return done();
    }
    const observedGeneration = device.generation;

    const problems = deviceSpecProblems(device.spec);
    if (problems.length > 0) {
      // Retrying cannot fix a spec; the next spec edit enqueues the key again.
      const status = setObservedGeneration(
        setCondition(
          device.status,
          {
            type: 'Ready',
            status: false,
            reason: 'InvalidSpec',
            message: problems.join('; '),
            observedGeneration,
          },
          ctx.clock,
        ),
        observedGeneration,
      );
      await writeStatus(store, device, status, ctx.signal);
      return done();
    }

    const { spec } = device;
    const actual = fleet.observe(uid) ?? fleet.enroll(uid);
    if (!isDeepStrictEqual(actual.config, spec.config)) fleet.configure(uid, spec.config);
    const updating = actual.firmware !== spec.firmware;
    if (updating && actual.installing?.firmware !== spec.firmware) {
      fleet.install(uid, spec.firmware);
      ctx.logger.info('installing firmware', { from: actual.firmware, to: spec.firmware });
    }

    let status = setCondition(
      device.status,
      {
        type: 'Updating',
        status: updating,
        reason: updating ? 'Installing' : 'UpToDate',
        message: updating ? `installing ${spec.firmware} over ${actual.firmware}` : '',
        observedGeneration,
      },
      ctx.clock,
    );
    status = setCondition(
      status,
      {
        type: 'Ready',
        status: !updating,
        reason: updating ? 'Updating' : 'Converged',
        message: updating
          ? `waiting for firmware ${spec.firmware}`
          : `running firmware ${spec.firmware}`,
        observedGeneration,
      },
      ctx.clock,
    );
    status = { ...setObservedGeneration(status, observedGeneration), firmware: actual.firmware };
    await writeStatus(store, device, status, ctx.signal);

    const flipped = isConditionTrue(device.status, 'Ready') !== !updating;
    if (flipped) await announce(ctx, uid, !updating);
    // Owners count ready devices: tell them when Ready flipped, either way.
    const owners = flipped ? device.ownerRefs.map((owner) => ({ key: resourceKey(owner) })) : [];
    if (updating) {
      // Look again while the install runs. With owners to tell, the revisit rides along as a
      // delayed follow-up of this very key (one result carries both).
      return owners.length > 0
        ? queueKeys([...owners, { key, delay: pollMs }])
        : requeueAfter(pollMs);
    }
    return owners.length > 0 ? queueKeys(owners) : done();
  };
}

async function announce(ctx: ReconcileContext, uid: string, ready: boolean): Promise<void> {
  await ctx.emit({
    specversion: '1.0',
    id: randomUUID(),
    source: '/devices-controller',
    type: ready ? controllerEventTypes.ready : controllerEventTypes.notReady,
    subject: uid,
    time: new Date(ctx.clock.now()).toISOString(),
  });
}
