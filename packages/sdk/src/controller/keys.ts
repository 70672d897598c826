/** What a watch, a resync or a dependents function returns: one key, several, or none. */
export type KeysFrom<T> = (
  input: T,
) => string | readonly string[] | undefined | Promise<string | readonly string[] | undefined>;

export function keysOf(value: string | readonly string[] | undefined): readonly string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : value;
}
