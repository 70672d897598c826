/**
 * Leadership: only the holder of a lease acts. Each acquisition opens a new TERM, a number that
 * only grows; work stamped with an older term is discarded when it comes up, because the world
 * may have moved on while someone else led (the new leader resyncs instead).
 */
export interface LeaderStatus {
  leader: boolean;
  /** The term of the current holding (meaningful while `leader`). */
  term: number;
}

export interface LeaderLease {
  /** Acquires the lease, or renews it when already held. Never throws for "someone else holds it". */
  check(signal?: AbortSignal): Promise<LeaderStatus>;
  /** Gives the lease up, if held, so another candidate can take it at once. */
  release(signal?: AbortSignal): Promise<void>;
}

/**
 * Adapts an injected `isLeader()` to a LeaderLease: the term counts acquisitions (each
 * false → true transition opens a new one).
 */
export function leaseFromPredicate(isLeader: () => boolean | Promise<boolean>): LeaderLease {
  let term = 0;
  let held = false;
  return {
    async check() {
      const now = await isLeader();
      if (now && !held) term++;
      held = now;
      return { leader: now, term };
    },
    async release() {
      held = false;
    },
  };
}
