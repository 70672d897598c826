// GCS request preconditions (ifGenerationMatch & co.), checked under the object's lock so they
// act as compare-and-swap. `ifGenerationMatch=0` means "the object must not exist".

import { badRequest, conditionNotMet, HttpError } from './errors.ts';
import type { ObjectRecord } from './records.ts';

export interface Preconditions {
  readonly ifGenerationMatch?: number;
  readonly ifGenerationNotMatch?: number;
  readonly ifMetagenerationMatch?: number;
  readonly ifMetagenerationNotMatch?: number;
}

const NAMES = [
  'ifGenerationMatch',
  'ifGenerationNotMatch',
  'ifMetagenerationMatch',
  'ifMetagenerationNotMatch',
] as const;

/** Parses an int64 query parameter (generations fit a double exactly); 400 names the field. */
export function parseIntParam(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^-?\d+$/.test(raw)) throw badRequest(`Invalid value for ${name}: ${raw}`);
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw badRequest(`Invalid value for ${name}: ${raw}`);
  return n;
}

/**
 * Reads the four preconditions. With `source`, reads the `ifSource…` variants (copy and rewrite
 * sources) instead.
 */
export function parsePreconditions(query: URLSearchParams, source = false): Preconditions {
  const out: Record<string, number> = {};
  for (const name of NAMES) {
    const param = source ? name.replace(/^if/, 'ifSource') : name;
    const v = parseIntParam(query, param);
    if (v !== undefined) out[name] = v;
  }
  return out;
}

export function hasPreconditions(p: Preconditions): boolean {
  return NAMES.some((n) => p[n] !== undefined);
}

/** Preconditions of a write that creates or replaces the object (a missing object is allowed). */
export function checkWritePreconditions(current: ObjectRecord | undefined, p: Preconditions): void {
  if (current) {
    checkExistingPreconditions(current, p);
    return;
  }
  const g = p.ifGenerationMatch;
  if (g !== undefined && g !== 0)
    throw conditionNotMet(`ifGenerationMatch=${g}: object does not exist`);
  for (const name of NAMES.slice(1)) {
    if (p[name] !== undefined) throw conditionNotMet(`${name}: object does not exist`);
  }
}

/**
 * Preconditions on an object that exists. Reads answer 304 for a failed `…NotMatch`, as GCS does.
 */
export function checkExistingPreconditions(
  current: ObjectRecord,
  p: Preconditions,
  read = false,
): void {
  const fail = (name: string, expected: number, actual: number): never => {
    throw conditionNotMet(`${name}=${expected} does not hold (current value ${actual})`);
  };
  const notModified = (): never => {
    throw new HttpError(304, 'notModified', 'Not Modified');
  };
  const { generation: g, metageneration: m } = current;
  if (p.ifGenerationMatch !== undefined && p.ifGenerationMatch !== g) {
    fail('ifGenerationMatch', p.ifGenerationMatch, g);
  }
  if (p.ifMetagenerationMatch !== undefined && p.ifMetagenerationMatch !== m) {
    fail('ifMetagenerationMatch', p.ifMetagenerationMatch, m);
  }
  if (p.ifGenerationNotMatch !== undefined && p.ifGenerationNotMatch === g) {
    if (read) notModified();
    fail('ifGenerationNotMatch', p.ifGenerationNotMatch, g);
  }
  if (p.ifMetagenerationNotMatch !== undefined && p.ifMetagenerationNotMatch === m) {
    if (read) notModified();
    fail('ifMetagenerationNotMatch', p.ifMetagenerationNotMatch, m);
  }
}
