/**
 * A leader lease held in one GCS object, made safe by generation preconditions alone:
 *
 * - absent → create with `ifGenerationMatch=0`: of any number of candidates, one wins;
 * - held by us and not expired → renew (patch `expires-at`) pinned to the generation and
 *   metageneration we read: a renew can never extend someone else's holding;
 * - expired (whoever held it) → overwrite pinned to the expired generation: one taker wins;
 * - anything else, or a lost race (412/404) → follower.
 *
 * The term is the object's generation: every acquisition creates a new generation, and GCS
 * generations only grow, so terms are totally ordered across replicas. Expiry compares the
 * holder's `expires-at` with this replica's clock: keep `leaseMs` far above your clock skew.
 */
import type { Bucket } from '@google-cloud/storage';
import { type Clock, InvalidArgumentError, systemClock } from '@recon/core';
import type { LeaderLease, LeaderStatus } from './leader-lease.ts';

export interface GcsLeaderLeaseOptions {
  bucket: Bucket;
  /** Object name of the lease. Default `leader/lease`. */
  object?: string;
  /** This candidate's identity (e.g. instance id); written to the object. */
  holder: string;
  /** How long a holding lasts without renewal. Default 15 s. Renew (check) well within it. */
  leaseMs?: number;
  /** Default systemClock. */
  clock?: Clock;
}

interface LeaseObject {
  generation: string;
  metageneration: string;
  holder: string;
  expiresAt: number;
}

export class GcsLeaderLease implements LeaderLease {
  readonly #bucket: Bucket;
  readonly #name: string;
  readonly #holder: string;
  readonly #leaseMs: number;
  readonly #clock: Clock;
  /** The generation we hold, if any. */
  #held: string | undefined;

  constructor(options: GcsLeaderLeaseOptions) {
    if (!options.holder) throw new InvalidArgumentError('holder', 'must be a non-empty string');
    this.#bucket = options.bucket;
    this.#name = options.object ?? 'leader/lease';
    this.#holder = options.holder;
    this.#leaseMs = options.leaseMs ?? 15_000;
    if (!(this.#leaseMs > 0)) throw new InvalidArgumentError('leaseMs', 'must be > 0');
    this.#clock = options.clock ?? systemClock;
  }

  async check(): Promise<LeaderStatus> {
    const now = this.#clock.now();
    const current = await this.#read();
    try {
      if (!current) return this.#won(await this.#write({ ifGenerationMatch: 0 }));
      if (current.expiresAt <= now)
        return this.#won(await this.#write({ ifGenerationMatch: current.generation }));
      if (current.holder === this.#holder && current.generation === this.#held) {
        await this.#bucket.file(this.#name).setMetadata(
          { metadata: this.#fields() },
          {
            ifGenerationMatch: current.generation,
            ifMetagenerationMatch: current.metageneration,
          },
        );
        return this.#won(current.generation);
      }
    } catch (err) {
      if (!isLostRace(err)) throw err;
    }
    this.#held = undefined;
    return { leader: false, term: termOf(current?.generation) };
  }

  async release(): Promise<void> {
    const held = this.#held;
    this.#held = undefined;
    if (held === undefined) return;
    try {
      await this.#bucket.file(this.#name).delete({ ifGenerationMatch: held });
    } catch (err) {
      if (!isLostRace(err)) throw err;
    }
  }

  #won(generation: string): LeaderStatus {
    this.#held = generation;
    return { leader: true, term: termOf(generation) };
  }

  #fields(): Record<string, string> {
    return { holder: this.#holder, 'expires-at': String(this.#clock.now() + this.#leaseMs) };
  }

  async #write(pre: { ifGenerationMatch: number | string }): Promise<string> {
    const file = this.#bucket.file(this.#name);
    await file.save('', {
      resumable: false,
      preconditionOpts: pre,
      metadata: { metadata: this.#fields() },
    });
    return String(file.metadata.generation);
  }

  async #read(): Promise<LeaseObject | undefined> {
    try {
      const [m] = await this.#bucket.file(this.#name).getMetadata();
      const fields = (m.metadata ?? {}) as Record<string, unknown>;
      return {
        generation: String(m.generation),
        metageneration: String(m.metageneration),
        holder: String(fields.holder ?? ''),
        expiresAt: Number(fields['expires-at'] ?? 0) || 0,
      };
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
  }
}

function statusOf(err: unknown): unknown {
  return (err as { code?: unknown } | null)?.code;
}

/** 412: the object changed since we read it; 404: it vanished. Either way someone else moved. */
function isLostRace(err: unknown): boolean {
  const code = statusOf(err);
  return code === 412 || code === 404;
}

/** GCS generations are microsecond timestamps: exact as numbers (< 2^53). */
function termOf(generation: string | undefined): number {
  return generation === undefined ? 0 : Number(generation);
}
