/**
 * The soak's key space. A key's class (its first path segment) says how the soak reconciler
 * treats it, so the audit knows what to expect from the key alone.
 */
export type KeyClass = 'ok' | 'flaky' | 'fail' | 'drop' | 'poll';

/** ok: converges · flaky: fails its first attempt · fail: always fails (→ dead letter) ·
 * drop: non-retriable (completed as dropped) · poll: one requeue-after per version, then done. */
export function classOf(key: string): KeyClass {
  const head = key.slice(0, key.indexOf('/'));
  return head === 'flaky' || head === 'fail' || head === 'drop' || head === 'poll' ? head : 'ok';
}

/** `count` keys: 5% fail, 5% drop, 10% flaky, 10% poll, 70% ok; some shaped like real keys. */
export function makeKeys(count: number): string[] {
  const keys: string[] = [];
  for (let i = 0; i < count; i++) {
    const slot = i % 20;
    const cls: KeyClass =
      slot === 0 ? 'fail' : slot === 1 ? 'drop' : slot < 4 ? 'flaky' : slot < 6 ? 'poll' : 'ok';
    // Real keys are URLs and paths: slashes, dots, spaces and non-ASCII are plain key bytes.
    const name =
      i % 7 === 0
        ? `https://github.com/acme/repo-${i}/pull/${i}`
        : i % 11 === 0
          ? `tenant ${i}/db-ü-${i}/../x`
          : `key-${i}`;
    keys.push(`${cls}/${name}`);
  }
  return keys;
}
