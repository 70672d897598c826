/**
 * Writing status without ever touching the spec. `updateStatus` is a compare-and-swap on the
 * `statusVersion` read with the resource, and stores status only: a spec edit made while the
 * reconcile ran survives (its generation is newer than the `observedGeneration` written here, and
 * the edit itself enqueued the key again, so a follow-up run picks it up).
 */
import { isDeepStrictEqual } from 'node:util';
import { NotFoundError } from '@recon/core';
import type { Resource, ResourceStore } from '@recon/sdk';

/**
 * Writes `next` as the status of `resource` unless it is unchanged. Resolves whether it wrote.
 * A ConflictError (another writer moved the status since the read) is thrown: the key is retried
 * and computes again from fresh state. A resource deleted meanwhile is not an error: the delete
 * enqueued the key, and the next run cleans up.
 */
export async function writeStatus<S>(
  store: ResourceStore,
  resource: Resource<unknown, S>,
  next: S,
  signal?: AbortSignal,
): Promise<boolean> {
  if (isDeepStrictEqual(resource.status, next)) return false;
  try {
    await store.updateStatus(resource.kind, resource.uid, next, resource.statusVersion, signal);
    return true;
  } catch (err) {
    if (NotFoundError.is(err)) return false;
    throw err;
  }
}
