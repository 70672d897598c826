/** What dispatch ordering looks at. */
export interface Orderable {
  key: string;
  priority: number;
  queuedAt: number;
}

/**
 * Dispatch order: priority descending, then first-enqueue time ascending (FIFO), then key.
 * A requeued key gets a new queuedAt, so it goes to the back of its priority band.
 */
export function compareForDispatch(a: Orderable, b: Orderable): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  if (a.queuedAt !== b.queuedAt) return a.queuedAt - b.queuedAt;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** Eligible now: no notBefore, or it has passed. */
export function isDue(entry: { notBefore: number }, now: number): boolean {
  return entry.notBefore <= now;
}
