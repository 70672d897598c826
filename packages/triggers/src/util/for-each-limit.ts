/**
 * Runs `fn` over `items` with at most `limit` calls in flight; resolves when all settled.
 * Never rejects: each failure is returned with its item, so one bad key never hides the rest.
 */
export async function forEachLimit<T>(
  items: Iterable<T>,
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<{ item: T; error: unknown }[]> {
  const failures: { item: T; error: unknown }[] = [];
  const iterator = items[Symbol.iterator]();
  const worker = async () => {
    for (let next = iterator.next(); !next.done; next = iterator.next()) {
      try {
        await fn(next.value);
      } catch (error) {
        failures.push({ item: next.value, error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, limit) }, worker));
  return failures;
}
