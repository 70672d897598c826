/**
 * Kubernetes-style status helpers. A condition says one thing about a resource (`Ready`,
 * `Degraded`), with a status of `True`, `False` or `Unknown`; its `lastTransitionTime` moves only
 * when that status flips, so "Ready since 10:02" stays true across reconciles that merely
 * refresh the reason or message.
 */
import type { Clock } from '@recon/core';

export type ConditionStatus = 'True' | 'False' | 'Unknown';

export interface Condition {
  type: string;
  status: ConditionStatus;
  /** CamelCase machine reason, e.g. `Provisioning`. */
  reason: string;
  message: string;
  /** RFC 3339: when `status` last changed. */
  lastTransitionTime: string;
  /** The spec generation this condition was computed from, when known. */
  observedGeneration?: number;
}

export interface ConditionedStatus {
  conditions?: Condition[];
  /** The spec generation the status describes. */
  observedGeneration?: number;
}

export interface ConditionInput {
  type: string;
  status: ConditionStatus | boolean;
  reason?: string;
  message?: string;
  observedGeneration?: number;
}

/**
 * Returns a copy of `status` with condition `input.type` set. `lastTransitionTime` is now when
 * the condition is new or its status flipped, and kept otherwise.
 */
export function setCondition<S extends ConditionedStatus>(
  status: S | undefined,
  input: ConditionInput,
  clock: Clock,
): S {
  const base = (status ?? {}) as S;
  const conditions = [...(base.conditions ?? [])];
  const statusText: ConditionStatus =
    typeof input.status === 'boolean' ? (input.status ? 'True' : 'False') : input.status;
  const index = conditions.findIndex((c) => c.type === input.type);
  const previous = index >= 0 ? conditions[index] : undefined;
  const next: Condition = {
    type: input.type,
    status: statusText,
    reason: input.reason ?? '',
    message: input.message ?? '',
    lastTransitionTime:
      previous && previous.status === statusText
        ? previous.lastTransitionTime
        : new Date(clock.now()).toISOString(),
  };
  const observed = input.observedGeneration ?? previous?.observedGeneration;
  if (observed !== undefined) next.observedGeneration = observed;
  if (index >= 0) conditions[index] = next;
  else conditions.push(next);
  return { ...base, conditions };
}

export function getCondition(
  status: ConditionedStatus | undefined,
  type: string,
): Condition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

export function isConditionTrue(status: ConditionedStatus | undefined, type: string): boolean {
  return getCondition(status, type)?.status === 'True';
}

/** Returns a copy of `status` recording that it describes spec `generation`. */
export function setObservedGeneration<S extends ConditionedStatus>(
  status: S | undefined,
  generation: number,
): S {
  return { ...((status ?? {}) as S), observedGeneration: generation };
}

/** True when the status already describes the resource's current spec generation. */
export function isObserved(resource: { generation: number; status: unknown }): boolean {
  const status = resource.status as ConditionedStatus | undefined;
  return status?.observedGeneration === resource.generation;
}
