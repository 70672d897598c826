// Every validation rule of the issue, as pure checks (the component tests show they are wired).
import { describe, expect, it } from 'vitest';
import { captureGroupCount, checkPathPatterns } from '../src/path-patterns.ts';
import {
  checkBaseName,
  checkInt,
  checkRegions,
  checkResyncPeriodHours,
  checkShards,
} from '../src/validation.ts';

const messages = (problems: { field: string; message: string }[]) =>
  problems.map((p) => `${p.field}: ${p.message}`);

describe('regions', () => {
  it('requires at least one', () => {
    expect(messages(checkRegions({}, undefined))).toEqual([
      'regions: at least one region is required',
    ]);
    expect(messages(checkRegions(undefined, undefined))).toEqual([
      'regions: at least one region is required',
    ]);
  });

  it('rejects bad names, an unknown primary region and colliding short forms', () => {
    expect(messages(checkRegions({ 'US-CENTRAL1': {} }, undefined))).toEqual([
      'regions.US-CENTRAL1: "US-CENTRAL1" is not a Google Cloud region name (like "us-central1")',
    ]);
    expect(messages(checkRegions({ 'us-central1': {} }, 'us-east1'))).toEqual([
      'primaryRegion: "us-east1" is not one of regions (us-central1)',
    ]);
    expect(messages(checkRegions({ 'us-east1': {}, 'usx-east1': {} }, undefined))).toEqual([
      'regions.usx-east1: shortens to "use1" like "us-east1"; bucket and topic names would collide',
    ]);
    expect(checkRegions({ 'us-central1': {}, 'europe-west4': {} }, 'europe-west4')).toEqual([]);
  });
});

describe('shards', () => {
  it('accepts 1–5 only', () => {
    for (const ok of [undefined, 1, 3, 5]) expect(checkShards(ok)).toEqual([]);
    expect(messages(checkShards(0))).toEqual(['shards: 0 is outside 1–5']);
    expect(messages(checkShards(6))).toEqual(['shards: 6 is outside 1–5']);
    expect(messages(checkShards(2.5))).toEqual(['shards: must be an integer, got 2.5']);
  });
});

describe('resync period', () => {
  it('accepts 1–24 hours and whole days up to 744', () => {
    for (const ok of [1, 5, 24, 48, 168, 744]) expect(checkResyncPeriodHours(ok)).toEqual([]);
  });

  it('rejects values outside 1–744, fractions and partial days over 24', () => {
    expect(messages(checkResyncPeriodHours(0))).toEqual(['resyncPeriodHours: 0 is outside 1–744']);
    expect(messages(checkResyncPeriodHours(745))).toEqual([
      'resyncPeriodHours: 745 is outside 1–744',
    ]);
    expect(messages(checkResyncPeriodHours(36))).toEqual([
      'resyncPeriodHours: 36 is over 24 and not a multiple of 24 (whole days: 48, 72, …)',
    ]);
    expect(messages(checkResyncPeriodHours(1.5))).toEqual([
      'resyncPeriodHours: must be an integer, got 1.5',
    ]);
    expect(messages(checkResyncPeriodHours(undefined))).toEqual(['resyncPeriodHours: is required']);
  });
});

describe('path patterns', () => {
  it('counts capture groups, named ones included, not (?:…) or escaped parens', () => {
    expect(captureGroupCount(/^a$/)).toBe(0);
    expect(captureGroupCount(/^(a)(?:b)\(c\)$/)).toBe(1);
    expect(captureGroupCount(/^(?<path>a)(b)$/)).toBe(2);
  });

  it('accepts anchored patterns with exactly one capture group', () => {
    expect(
      checkPathPatterns(['^(.+\\.yaml)$', '^configs/(?:prod|dev)/(.+)$', '^a\\\\(.*)$']),
    ).toEqual([]);
  });

  it('rejects bad regexes, wrong group counts, missing anchors and empty lists', () => {
    expect(messages(checkPathPatterns([]))).toEqual([
      'pathPatterns: at least one pattern is required',
    ]);
    expect(messages(checkPathPatterns(['^(unclosed$']))).toEqual([
      'pathPatterns[0]: "^(unclosed$" is not a valid regular expression: Invalid regular expression: /^(unclosed$/: Unterminated group',
    ]);
    expect(messages(checkPathPatterns(['^a/.+$', '^(a)/(b)$']))).toEqual([
      'pathPatterns[0]: "^a/.+$" has 0 capture groups; exactly one is required (use (?:…) for the others)',
      'pathPatterns[1]: "^(a)/(b)$" has 2 capture groups; exactly one is required (use (?:…) for the others)',
    ]);
    expect(messages(checkPathPatterns(['(.+)$', '^(.+)', '^(.+)\\$']))).toEqual([
      'pathPatterns[0]: "(.+)$" must be anchored: start with ^ and end with $',
      'pathPatterns[1]: "^(.+)" must be anchored: start with ^ and end with $',
      'pathPatterns[2]: "^(.+)\\$" must be anchored: start with ^ and end with $',
    ]);
    expect(messages(checkPathPatterns([42]))).toEqual([
      'pathPatterns[0]: must be a non-empty string',
    ]);
  });
});

describe('names and numbers', () => {
  it('checks base names and integer ranges', () => {
    expect(checkBaseName('name', 'ok-name-1', 10)).toEqual([]);
    expect(messages(checkBaseName('name', '', 10))).toEqual([
      'name: is required (a non-empty string)',
    ]);
    expect(messages(checkBaseName('name', '1abc', 10))).toEqual([
      'name: "1abc" must be lowercase letters, digits and hyphens, start with a letter and not end with a hyphen',
    ]);
    expect(messages(checkInt('n', 'x', { min: 1 }))).toEqual(['n: must be an integer, got x']);
    expect(checkInt('n', undefined, { min: 1 })).toEqual([]);
  });
});
