/**
 * What `recon dev --reconciler examples/devices-controller/src/reconciler.ts` serves: both kinds
 * behind one reconciler, over state in this module — a memory resource store seeded with a
 * group of three devices and one standalone device, and a simulated fleet on the system clock.
 * Enqueue the keys to watch them converge:
 *
 *   npx recon enqueue device-group/demo device/lab-1
 *
 * The state lives in the reconciler's process: `recon dev` restarts it on a file change, and it
 * starts over from the seed. The group's follow-up keys (`queueKeys`) reach its devices; nothing
 * here watches the store, so a key is reconciled when the queue hands it over.
 */
import { MemoryResourceStore } from '@recon/sdk';
import { createDevicesReconciler } from './devices-reconciler.ts';
import { SimulatedFleet } from './fleet.ts';
import { deviceKind, groupKind } from './types.ts';

export const store = new MemoryResourceStore();
export const fleet = new SimulatedFleet({ installMs: 1500 });

await store.apply({
  kind: groupKind,
  uid: 'demo',
  spec: { count: 3, firmware: '1.2.0', config: { site: 'lisbon' } },
});
await store.apply({
  kind: deviceKind,
  uid: 'lab-1',
  spec: { firmware: '1.3.0', config: { mode: 'test' } },
});

export default createDevicesReconciler({ store, fleet, pollMs: 500 });
