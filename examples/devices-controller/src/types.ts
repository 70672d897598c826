/**
 * The two declarative kinds this controller reconciles, as they sit in the resource store.
 *
 * - `device/<uid>`: one device. Spec: the firmware it should run and its configuration.
 *   Status: conditions `Ready` and `Updating`, the observed generation, the firmware it runs.
 * - `device-group/<uid>`: `count` devices `<uid>-0 … <uid>-(count-1)` with one spec, each owned by
 *   the group (owner reference), so deleting the group deletes them.
 */
import type { ConditionedStatus } from '@recon/sdk';

export const deviceKind = 'device';
export const groupKind = 'device-group';

export interface DeviceSpec {
  /** Semantic version, e.g. `1.4.2`. */
  firmware: string;
  config: Record<string, string>;
}

export interface DeviceStatus extends ConditionedStatus {
  /** The firmware the device runs now. */
  firmware?: string;
}

export interface DeviceGroupSpec extends DeviceSpec {
  /** How many devices, 0–100. */
  count: number;
}

export interface DeviceGroupStatus extends ConditionedStatus {
  devices?: number;
  readyDevices?: number;
}

/** Every problem with a device spec; each names its field. */
export function deviceSpecProblems(spec: unknown): string[] {
  const s = (spec ?? {}) as Partial<Record<keyof DeviceSpec, unknown>>;
  const problems: string[] = [];
  if (typeof s.firmware !== 'string' || !/^\d+\.\d+\.\d+$/.test(s.firmware)) {
    problems.push(`spec.firmware: must be a version like 1.4.2, got ${JSON.stringify(s.firmware)}`);
  }
  if (
    typeof s.config !== 'object' ||
    s.config === null ||
    Array.isArray(s.config) ||
    !Object.values(s.config).every((v) => typeof v === 'string')
  ) {
    problems.push('spec.config: must be an object of strings');
  }
  return problems;
}

/** Every problem with a device group spec; each names its field. */
export function groupSpecProblems(spec: unknown): string[] {
  const count = (spec as { count?: unknown } | undefined)?.count;
  const problems = deviceSpecProblems(spec);
  if (!Number.isInteger(count) || (count as number) < 0 || (count as number) > 100) {
    problems.push(`spec.count: must be an integer from 0 to 100, got ${JSON.stringify(count)}`);
  }
  return problems;
}
