/**
 * `device-group/<uid>`: keep exactly `count` devices `<uid>-0 …` with the group's firmware and
 * config, each owned by the group (an owner reference), and report how many are ready.
 *
 * The group writes its devices' SPECS (it owns them, like a ReplicaSet its pods) and only its own
 * STATUS. Deleting the group needs no code here: the store deletes every device the group owned
 * (cascade), and each delete enqueues that device, whose reconciler decommissions it.
 *
 * Devices it created or changed are returned as follow-up keys (`queueKeys`), so the same
 * reconciler converges under `serve()` too, where no store watch enqueues them.
 */
import {
  done,
  isConditionTrue,
  isObserved,
  nonRetriable,
  parseResourceKey,
  queueKeys,
  type ReconcileFn,
  type ReconcileResult,
  type Resource,
  resourceKey,
  type ResourceStore,
  setCondition,
  setObservedGeneration,
} from '@recon/sdk';
import { writeStatus } from './status.ts';
import {
  deviceKind,
  type DeviceSpec,
  type DeviceGroupSpec,
  type DeviceGroupStatus,
  groupKind,
  groupSpecProblems,
} from './types.ts';

export interface GroupReconcilerOptions {
  store: ResourceStore;
}

export function reconcileGroup(options: GroupReconcilerOptions): ReconcileFn {
  const { store } = options;

  return async (key, ctx): Promise<ReconcileResult> => {
    const ref = parseResourceKey(key);
    if (ref?.kind !== groupKind)
      return nonRetriable(new Error(`not a device group key: ${key}`), 'invalid-key');
    const { uid } = ref;
    const group = await store.get<DeviceGroupSpec, DeviceGroupStatus>(groupKind, uid, ctx.signal);
    if (!group) return done(); // its devices went with it (cascade)
    const observedGeneration = group.generation;

    const problems = groupSpecProblems(group.spec);
    if (problems.length > 0) {
      const status = setObservedGeneration(
        setCondition(
          group.status,
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
      await writeStatus(store, group, status, ctx.signal);
      return done();
    }

    const { count, firmware, config } = group.spec;
    const ownerRefs = [{ kind: groupKind, uid }];
    const ownedBefore = (await store.list(deviceKind, ctx.signal)).filter((d) => ownedBy(d, uid));
    const wanted = Array.from({ length: count }, (_, i) => `${uid}-${i}`);
    const touched: string[] = [];

    for (const name of wanted) {
      const before = ownedBefore.find((d) => d.uid === name);
      const spec: DeviceSpec = { firmware, config };
      const after = await store.apply({ kind: deviceKind, uid: name, spec, ownerRefs }, ctx.signal);
      if (!before || after.generation !== before.generation) touched.push(resourceKey(after));
    }
    for (const extra of ownedBefore.filter((d) => !wanted.includes(d.uid))) {
      touched.push(...(await store.delete(deviceKind, extra.uid, ctx.signal)));
    }

    const devices = (await store.list(deviceKind, ctx.signal)).filter((d) => ownedBy(d, uid));
    const ready = devices.filter(
      (d) => isObserved(d) && isConditionTrue(d.status as DeviceGroupStatus, 'Ready'),
    ).length;
    let status = setCondition(
      group.status,
      {
        type: 'Ready',
        status: ready === count,
        reason: ready === count ? 'AllDevicesReady' : 'DevicesNotReady',
        message: `${ready}/${count} devices ready`,
        observedGeneration,
      },
      ctx.clock,
    );
    status = {
      ...setObservedGeneration(status, observedGeneration),
      devices: count,
      readyDevices: ready,
    };
    await writeStatus(store, group, status, ctx.signal);

    if (touched.length > 0) ctx.logger.info('devices changed', { devices: touched });
    return touched.length > 0 ? queueKeys(touched.map((k) => ({ key: k }))) : done();
  };
}

function ownedBy(resource: Resource, groupUid: string): boolean {
  return resource.ownerRefs.some((o) => o.kind === groupKind && o.uid === groupUid);
}
