// Physical names of everything the components create, derived from the component's base name.
// Pure and tested, so a rename is a reviewed change (users script `gcloud run jobs execute
// <name>-reenqueue`, dashboards filter on `<name>-dsp`).

/** Cloud Run service and job names: at most 49 characters. */
export const cloudRunNameMax = 49;
/** Base names: lowercase letters, digits and hyphens; a letter first, no hyphen last. */
export const baseNamePattern = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** Names of a workqueue's services and jobs (the same in every region). */
export function workqueueNames(base: string): {
  receiver: string;
  dispatcher: string;
  reenqueue: string;
  dispatchSchedule: string;
} {
  return {
    receiver: `${base}-rcv`,
    dispatcher: `${base}-dsp`,
    reenqueue: `${base}-reenqueue`,
    dispatchSchedule: `${base}-dispatch`,
  };
}

/** Longest workqueue base name whose derived names all fit Cloud Run's limit. */
export const workqueueNameMax = cloudRunNameMax - '-reenqueue'.length;

/**
 * The Secret Manager secret holding the sidecar's RunMonitoring file of Cloud Run service
 * `service`: `<service>-rungmp` (a valid base name stays within Secret Manager's id rules).
 */
export function runMonitoringSecretId(service: string): string {
  return `${service}-rungmp`;
}

/** The queue of a reconciler: `<name>-wq`, or `<name>-wq-<i>` for shard i (0-based) of N > 1. */
export function shardQueueName(base: string, shard: number, shards: number): string {
  return shards > 1 ? `${base}-wq-${shard}` : `${base}-wq`;
}

export function reconcilerServiceName(base: string): string {
  return `${base}-rec`;
}

export function routerServiceName(base: string): string {
  return `${base}-rtr`;
}

const compass: Record<string, string> = {
  central: 'c',
  north: 'n',
  south: 's',
  east: 'e',
  west: 'w',
  northeast: 'ne',
  northwest: 'nw',
  southeast: 'se',
  southwest: 'sw',
};

/**
 * A short, stable form of a region for names with little room (bucket names):
 * `us-central1` → `usc1`, `europe-west4` → `euw4`, `asia-southeast1` → `asse1`.
 */
export function regionShort(region: string): string {
  const parts = region.split('-');
  const [area = '', ...rest] = parts;
  const tail = rest
    .map((part) => {
      const m = /^([a-z]+)([0-9]*)$/.exec(part);
      if (!m) return part;
      const word = m[1] ?? '';
      return `${compass[word] ?? word}${m[2] ?? ''}`;
    })
    .join('');
  return `${area.slice(0, 2)}${tail}`;
}

/** Bucket name prefix; the component appends `-<random6>`. Global: `<name>`; regional: `<name>-<short>`. */
export function bucketPrefix(base: string, region?: string): string {
  return region === undefined ? base : `${base}-${regionShort(region)}`;
}

/** The notification topic: `<name>-queued`, or `<name>-<short>-queued` per region. */
export function topicName(base: string, region?: string): string {
  return `${bucketPrefix(base, region)}-queued`;
}

/** 32-bit FNV-1a of the UTF-8 bytes of `s` (the router's shard hash; here also a name suffix). */
export function fnv1a32(s: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(s)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/**
 * A service account id for `role` of `base`: `<base>-<role>` when it fits the 6–30 character
 * limit, else `<base truncated>-<hash4>-<role>` (stable, and distinct for distinct bases).
 */
export function accountId(base: string, role: string): string {
  const plain = `${base}-${role}`;
  if (plain.length <= 30) return plain.length >= 6 ? plain : `${plain}-sa`;
  const hash = fnv1a32(base).toString(36).padStart(7, '0').slice(-4);
  const keep = 30 - role.length - hash.length - 2;
  const head = base.slice(0, keep).replace(/-+$/, '');
  return `${head}-${hash}-${role}`;
}
