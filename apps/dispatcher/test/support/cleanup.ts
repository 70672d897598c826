import { afterEach } from 'vitest';

/** Registers teardown work for the current test; it runs after the test, newest first. */
export function useCleanup(): (fn: () => unknown) => void {
  const pending: Array<() => unknown> = [];
  afterEach(async () => {
    const errors: unknown[] = [];
    while (pending.length > 0) {
      const fn = pending.pop();
      try {
        await fn?.();
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length > 0) throw errors[0];
  });
  return (fn) => void pending.push(fn);
}
