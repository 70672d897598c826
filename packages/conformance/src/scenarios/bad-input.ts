import { expect, it } from 'vitest';
import { InvalidArgumentError, KeyStatus } from '@recon/core';
import type { EnqueueRequest } from '@recon/core';
import type { Harness } from '../harness.ts';

interface BadCase {
  what: string;
  request: EnqueueRequest;
  /** The field the error must name. */
  field: RegExp;
}

const int32Min = -(2 ** 31);
const int32Max = 2 ** 31 - 1;

/** Every invalid form of spec 01 "Bad input", on a new key and on one already queued. */
const badCases: BadCase[] = [
  { what: 'empty key', request: { key: '' }, field: /^key$/ },
  { what: 'key of 1001 ASCII bytes', request: { key: 'k'.repeat(1001) }, field: /^key$/ },
  {
    what: 'key of 1002 UTF-8 bytes in 501 characters',
    request: { key: 'é'.repeat(501) },
    field: /^key$/,
  },
  {
    what: 'key of 1004 UTF-8 bytes in 251 emoji',
    request: { key: '🔑'.repeat(251) },
    field: /^key$/,
  },
  { what: 'key with NUL', request: { key: 'a\u0000b' }, field: /^key$/ },
  { what: 'key with a newline', request: { key: 'a\nb' }, field: /^key$/ },
  { what: 'key with a tab', request: { key: '\tfoo' }, field: /^key$/ },
  { what: 'key with ESC', request: { key: 'foo\u001b[31m' }, field: /^key$/ },
  { what: 'key with DEL', request: { key: 'foo\u007f' }, field: /^key$/ },
  { what: 'key with a C1 control (NEL)', request: { key: 'foo\u0085' }, field: /^key$/ },
  { what: 'key with a lone high surrogate', request: { key: 'foo\ud800' }, field: /^key$/ },
  { what: 'key with a lone low surrogate', request: { key: '\udc00foo' }, field: /^key$/ },
  { what: 'key with reversed surrogates', request: { key: 'a\udc00\ud800b' }, field: /^key$/ },
  { what: 'negative delay', request: { key: 'foo', delayMs: -1 }, field: /^delay/ },
  { what: 'negative fractional delay', request: { key: 'foo', delayMs: -0.5 }, field: /^delay/ },
  { what: 'NaN delay', request: { key: 'foo', delayMs: Number.NaN }, field: /^delay/ },
  { what: 'infinite delay', request: { key: 'foo', delayMs: Infinity }, field: /^delay/ },
  { what: 'fractional priority', request: { key: 'foo', priority: 1.5 }, field: /^priority$/ },
  { what: 'priority 2^31', request: { key: 'foo', priority: int32Max + 1 }, field: /^priority$/ },
  {
    what: 'priority -2^31-1',
    request: { key: 'foo', priority: int32Min - 1 },
    field: /^priority$/,
  },
  { what: 'NaN priority', request: { key: 'foo', priority: Number.NaN }, field: /^priority$/ },
  { what: 'infinite priority', request: { key: 'foo', priority: -Infinity }, field: /^priority$/ },
  {
    what: 'a bad key with a bad priority (the key is named)',
    request: { key: '', priority: 0.5 },
    field: /^key$/,
  },
];

/** Keys that look like paths or escapes: all plain key bytes, none escapes its prefix. */
const pathLikeKeys = [
  '../x',
  '/abs',
  '%2F',
  '%2e%2e%2fx',
  'a/../../b',
  '..',
  '.',
  'queued/foo',
  'in-progress/../dead-letter/foo',
  'a//b',
  'back\\slash',
  ' spaced key ',
  'https://github.com/o/r/pull/7',
  'ünïcödé/🔑',
];

/** UTF-8 byte order: the order `list` returns keys in. */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Scenario 27 and the key-escaping rule. */
export function badInputScenarios(h: Harness): void {
  it('27. Bad input: every invalid form is rejected with InvalidArgumentError naming the field, store unchanged', async () => {
    await h.enqueue('foo', { priority: 2, delayMs: 5000 });
    await h.tick();
    await h.enqueue('bar');
    const owned = await h.startKey('bar');
    await h.enqueue('bar');
    const before = await h.snapshot();

    for (const bad of badCases) {
      const error = await h.queue.enqueue(bad.request).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(InvalidArgumentError.is(error), `${bad.what}: InvalidArgumentError`).toBe(true);
      expect((error as InvalidArgumentError).field, `${bad.what}: names the field`).toMatch(
        bad.field,
      );
      expect(await h.snapshot(), `${bad.what}: store unchanged`).toEqual(before);
    }
    // Into the twin of an in-progress key, too.
    for (const bad of badCases.filter((c) => c.request.key === 'foo')) {
      const error = await h.queue
        .enqueue({ ...bad.request, key: 'bar' })
        .catch((err: unknown) => err);
      expect(InvalidArgumentError.is(error), `${bad.what} on a twin`).toBe(true);
    }
    expect(await h.snapshot()).toEqual(before);

    await owned.complete();
    await h.finish();
  });

  it('27. Bad input, the limits themselves are accepted (1000 UTF-8 bytes, the int32 range, delay 0)', async () => {
    const keys = ['k'.repeat(1000), 'é'.repeat(500), '🔑'.repeat(250), 'x'];
    for (const key of keys) expect(Buffer.byteLength(key, 'utf8')).toBeLessThanOrEqual(1000);
    await h.enqueue(keys[0]!, { priority: int32Max });
    await h.enqueue(keys[1]!, { priority: int32Min });
    await h.enqueue(keys[2]!, { delayMs: 0 });
    await h.enqueue(keys[3]!, { priority: int32Max - 1 });
    expect(await h.keys(KeyStatus.QUEUED)).toEqual([...keys].sort(byteOrder));
    // Priorities compare as integers across the whole range.
    expect(await h.eligible()).toEqual([keys[0], keys[3], keys[2], keys[1]]);
    for (const key of keys) expect((await h.state(key))?.key).toBe(key);
    await h.finish();
  });

  it('27. Bad input, keys are plain bytes: path-like and escaped keys round-trip exactly and never collide', async () => {
    for (const key of pathLikeKeys) {
      expect(await h.enqueue(key), key).toBe('added');
      await h.tick();
    }
    const sorted = [...pathLikeKeys].sort(byteOrder);
    expect(await h.keys(KeyStatus.QUEUED)).toEqual(sorted);
    for (const key of pathLikeKeys) {
      expect(await h.state(key), key).toMatchObject({ key, status: KeyStatus.QUEUED });
    }
    // A prefix is a plain string prefix too: '%2' does not match '/'-keys, '..' matches only '..'-keys.
    const page = await h.queue.list(KeyStatus.QUEUED, { prefix: '..' });
    expect(page.entries.map((e) => e.key)).toEqual(['..', '../x']);

    const owned = await h.startKey('../x');
    expect(await h.keys(KeyStatus.IN_PROGRESS)).toEqual(['../x']);
    await owned.deadLetter('kept for inspection');
    expect(await h.keys(KeyStatus.DEAD_LETTER)).toEqual(['../x']);
    expect(await h.queue.reenqueueDeadLetter('../x')).toBe(true);
    expect(await h.keys(KeyStatus.QUEUED)).toEqual(sorted);
    await h.finish();
  });
}
