// Argument checks shared by the components. Each returns the problems it found (never throws), so
// a component reports every mistake at once; `failOnProblems` turns them into one error.
import type { ArgProblem } from './errors.ts';
import { baseNamePattern, regionShort } from './names.ts';

const regionPattern = /^[a-z]+(-[a-z]+)+[0-9]+$/;

export function checkBaseName(field: string, value: unknown, maxLength: number): ArgProblem[] {
  if (typeof value !== 'string' || value.length === 0) {
    return [{ field, message: 'is required (a non-empty string)' }];
  }
  const problems: ArgProblem[] = [];
  if (!baseNamePattern.test(value)) {
    problems.push({
      field,
      message: `"${value}" must be lowercase letters, digits and hyphens, start with a letter and not end with a hyphen`,
    });
  }
  if (value.length > maxLength) {
    problems.push({
      field,
      message: `"${value}" is ${value.length} characters; at most ${maxLength} fit the names derived from it`,
    });
  }
  return problems;
}

/** `regions` has at least one valid region, `primaryRegion` is one of them, short forms differ. */
export function checkRegions(
  regions: Record<string, unknown> | undefined,
  primaryRegion: string | undefined,
): ArgProblem[] {
  const names = Object.keys(regions ?? {});
  if (names.length === 0) return [{ field: 'regions', message: 'at least one region is required' }];
  const problems: ArgProblem[] = [];
  for (const region of names) {
    if (!regionPattern.test(region)) {
      problems.push({
        field: `regions.${region}`,
        message: `"${region}" is not a Google Cloud region name (like "us-central1")`,
      });
    }
  }
  const seen = new Map<string, string>();
  for (const region of names) {
    const short = regionShort(region);
    const other = seen.get(short);
    if (other !== undefined) {
      problems.push({
        field: `regions.${region}`,
        message: `shortens to "${short}" like "${other}"; bucket and topic names would collide`,
      });
    }
    seen.set(short, region);
  }
  if (primaryRegion !== undefined && !names.includes(primaryRegion)) {
    problems.push({
      field: 'primaryRegion',
      message: `"${primaryRegion}" is not one of regions (${names.join(', ')})`,
    });
  }
  return problems;
}

/** The region of single-homed resources: `primaryRegion`, else the first region. */
export function primaryRegionOf(regions: Record<string, unknown>, primaryRegion?: string): string {
  return primaryRegion ?? Object.keys(regions)[0] ?? '';
}

export interface IntRange {
  min: number;
  max?: number;
}

/** `value` is an integer within [min, max]; `undefined` passes unless `required`. */
export function checkInt(
  field: string,
  value: unknown,
  range: IntRange,
  required = false,
): ArgProblem[] {
  if (value === undefined) return required ? [{ field, message: 'is required' }] : [];
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    return [{ field, message: `must be an integer, got ${String(value)}` }];
  }
  const { min, max } = range;
  if (value < min || (max !== undefined && value > max)) {
    const bounds = max === undefined ? `at least ${min}` : `${min}–${max}`;
    return [{ field, message: `${value} is outside ${bounds}` }];
  }
  return [];
}

/** `value` is one of `allowed` (or undefined). */
export function checkOneOf(
  field: string,
  value: unknown,
  allowed: readonly string[],
): ArgProblem[] {
  if (value === undefined || (typeof value === 'string' && allowed.includes(value))) return [];
  return [{ field, message: `${JSON.stringify(value)} is not one of ${allowed.join(', ')}` }];
}

/** A per-region map mentions only regions of `regions`. */
export function checkRegionKeys(
  field: string,
  map: Record<string, unknown> | undefined,
  regions: Record<string, unknown>,
): ArgProblem[] {
  const known = Object.keys(regions);
  return Object.keys(map ?? {})
    .filter((region) => !known.includes(region))
    .map((region) => ({
      field: `${field}.${region}`,
      message: `"${region}" is not one of regions`,
    }));
}

/** A per-region map covers every region of `regions`. */
export function checkCoversRegions(
  field: string,
  map: Record<string, unknown>,
  regions: Record<string, unknown>,
): ArgProblem[] {
  const missing = Object.keys(regions).filter((region) => !(region in map));
  return missing.length === 0
    ? []
    : [{ field, message: `has no entry for region(s) ${missing.join(', ')}` }];
}

/** Sharding: an integer 1–5 (more than one builds N queues behind a router). */
export function checkShards(value: unknown): ArgProblem[] {
  return checkInt('shards', value, { min: 1, max: 5 });
}

/** Resync period: an integer 1–744 hours; over 24, a whole number of days. */
export function checkResyncPeriodHours(value: unknown): ArgProblem[] {
  const problems = checkInt('resyncPeriodHours', value, { min: 1, max: 744 }, true);
  if (problems.length > 0) return problems;
  const hours = value as number;
  if (hours > 24 && hours % 24 !== 0) {
    return [
      {
        field: 'resyncPeriodHours',
        message: `${hours} is over 24 and not a multiple of 24 (whole days: 48, 72, …)`,
      },
    ];
  }
  return [];
}
