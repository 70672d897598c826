/**
 * Declarative resources: a desired `spec` written by users (or a message source) and an observed
 * `status` written by the reconciler, in one record per `kind/uid`.
 *
 * Spec and status are versioned separately, the way Kubernetes splits the status subresource:
 * - `generation` counts spec edits (and only those);
 * - `statusVersion` counts status writes; `updateStatus` is a compare-and-swap on it, so two
 *   writers of status cannot lose each other's write, and a status write never touches the spec —
 *   a concurrent spec edit always survives it.
 *
 * Owner references form a garbage-collection graph: deleting a resource deletes every dependent
 * whose owners are all gone, recursively.
 */
import { InvalidArgumentError, validateKey } from '@recon/core';

export interface OwnerRef {
  kind: string;
  uid: string;
}

export interface Resource<Spec = unknown, Status = unknown> {
  readonly kind: string;
  readonly uid: string;
  /** Bumped by every spec change; the reconciler records the one it acted on in status. */
  readonly generation: number;
  readonly spec: Spec;
  readonly status: Status | undefined;
  /** Bumped by every status write; the CAS token of `updateStatus`. */
  readonly statusVersion: number;
  readonly ownerRefs: readonly OwnerRef[];
}

export interface ApplyRequest<Spec = unknown> {
  kind: string;
  uid: string;
  spec: Spec;
  /** Replaces the owner references when given. */
  ownerRefs?: readonly OwnerRef[];
  /** Optimistic concurrency on the spec: ConflictError unless the stored generation matches (0 = must not exist). */
  expectedGeneration?: number;
}

export type ResourceChange =
  | { type: 'applied'; resource: Resource }
  | { type: 'deleted'; kind: string; uid: string; cascade: boolean };

export interface ResourceStore {
  get<Spec = unknown, Status = unknown>(
    kind: string,
    uid: string,
    signal?: AbortSignal,
  ): Promise<Resource<Spec, Status> | undefined>;
  list(kind: string, signal?: AbortSignal): Promise<Resource[]>;
  /**
   * Creates the resource or replaces its spec (and owner refs). The generation moves only when
   * the spec actually changes; an identical apply is a no-op that notifies nobody.
   */
  apply<Spec>(request: ApplyRequest<Spec>, signal?: AbortSignal): Promise<Resource<Spec>>;
  /**
   * Writes status only, if `statusVersion` still equals `expectedStatusVersion` (ConflictError
   * otherwise; NotFoundError when the resource is gone). Never changes spec or generation.
   */
  updateStatus<Status>(
    kind: string,
    uid: string,
    status: Status,
    expectedStatusVersion: number,
    signal?: AbortSignal,
  ): Promise<Resource<unknown, Status>>;
  /** Deletes the resource and, recursively, dependents left without owners. Resolves the keys deleted. */
  delete(kind: string, uid: string, signal?: AbortSignal): Promise<string[]>;
  /** Listens to spec changes and deletes (not status writes). Returns an unsubscribe function. */
  watch(listener: (change: ResourceChange) => void): () => void;
}

/** Throws InvalidArgumentError naming `kind` or `uid` unless both are usable. */
export function validateResourceRef(ref: OwnerRef): void {
  if (typeof ref.kind !== 'string' || ref.kind === '' || ref.kind.includes('/')) {
    throw new InvalidArgumentError('kind', 'must be a non-empty string without "/"');
  }
  if (typeof ref.uid !== 'string' || ref.uid === '')
    throw new InvalidArgumentError('uid', 'must be a non-empty string');
  validateKey(resourceKey(ref), 'uid');
}

/** The workqueue key of a resource: `kind/uid`. */
export function resourceKey(ref: OwnerRef): string {
  return `${ref.kind}/${ref.uid}`;
}

/** Splits `kind/uid` (the uid may itself contain `/`); undefined when the key has no kind. */
export function parseResourceKey(key: string): OwnerRef | undefined {
  const slash = key.indexOf('/');
  if (slash <= 0 || slash === key.length - 1) return undefined;
  return { kind: key.slice(0, slash), uid: key.slice(slash + 1) };
}
