/**
 * Both kinds behind ONE reconciler, routed by the key's kind: what `serve()` (and so
 * `recon dev --reconciler`) needs, since a served reconciler gets every key of its queue. The
 * embedded controller registers the two per kind instead (`reconcilers: { device, … }`).
 */
import {
  nonRetriable,
  parseResourceKey,
  type Reconciler,
  reconciler,
  UnknownKindError,
} from '@recon/sdk';
import { reconcileDevice, type DeviceReconcilerOptions } from './device-reconciler.ts';
import { reconcileGroup } from './group-reconciler.ts';
import { deviceKind, groupKind } from './types.ts';

export function createDevicesReconciler(options: DeviceReconcilerOptions): Reconciler {
  const byKind = new Map([
    [deviceKind, reconcileDevice(options)],
    [groupKind, reconcileGroup(options)],
  ]);
  return reconciler(
    async (key, ctx) => {
      const kind = parseResourceKey(key)?.kind;
      const reconcile = kind === undefined ? undefined : byKind.get(kind);
      if (!reconcile) return nonRetriable(new UnknownKindError(kind ?? key), 'unknown-kind');
      return reconcile(key, ctx);
    },
    { name: 'devices' },
  );
}
