// Resumable upload sessions: what the initial POST asked for (name, resource, preconditions),
// and the bytes received so far. Sessions live in memory only; a finished session remembers its
// object so a retried final PUT (answer lost) gets the same 200 again.

import { randomUUID } from 'node:crypto';
import { badRequest } from './errors.ts';
import type { Preconditions } from './preconditions.ts';
import type { ObjectRecord } from './records.ts';
import type { FieldChanges } from './resource.ts';

export interface UploadSession {
  readonly id: string;
  readonly bucket: string;
  readonly name: string;
  readonly changes: FieldChanges;
  /** Content type from `X-Upload-Content-Type`, used when the resource has none. */
  readonly uploadContentType: string | undefined;
  readonly preconditions: Preconditions;
  /** Checksums the client declared in the resource, verified on completion. */
  readonly expected: ExpectedHashes;
  readonly chunks: Buffer[];
  received: number;
  result?: ObjectRecord;
}

export interface ExpectedHashes {
  readonly crc32c?: string;
  readonly md5Hash?: string;
}

export type NewSession = Omit<UploadSession, 'id' | 'chunks' | 'received' | 'result'>;

/** Oldest sessions are forgotten beyond this many, so abandoned uploads cannot grow memory forever. */
const MAX_SESSIONS = 10_000;

export class UploadSessions {
  private readonly sessions = new Map<string, UploadSession>();

  create(init: NewSession): UploadSession {
    const session: UploadSession = { ...init, id: randomUUID(), chunks: [], received: 0 };
    this.sessions.set(session.id, session);
    for (const id of this.sessions.keys()) {
      if (this.sessions.size <= MAX_SESSIONS) break;
      this.sessions.delete(id);
    }
    return session;
  }

  get(id: string): UploadSession | undefined {
    return this.sessions.get(id);
  }

  delete(id: string): void {
    this.sessions.delete(id);
  }
}

/** A `Content-Range` on a session PUT. */
export type ContentRange =
  /** `bytes *\/*` (status query) or `bytes *\/TOTAL` (query, or finish at TOTAL bytes). */
  | { readonly kind: 'status'; readonly total?: number }
  /** `bytes A-B/TOTAL|*`; `end` undefined for `bytes A-*\/…`: this request carries the rest. */
  | {
      readonly kind: 'chunk';
      readonly start: number;
      readonly end?: number;
      readonly total?: number;
    };

export function parseContentRange(header: string | undefined): ContentRange | undefined {
  if (header === undefined) return undefined;
  const m = /^bytes\s+(?:\*|(\d+)-(\d+|\*))\/(\d+|\*)$/.exec(header.trim());
  if (!m) throw badRequest(`Invalid Content-Range: ${header}`);
  const total = m[3] === '*' ? undefined : Number(m[3]);
  if (m[1] === undefined)
    return total === undefined ? { kind: 'status' } : { kind: 'status', total };
  const start = Number(m[1]);
  const end = m[2] === '*' ? undefined : Number(m[2]);
  if (end !== undefined && end < start) throw badRequest(`Invalid Content-Range: ${header}`);
  return {
    kind: 'chunk',
    start,
    ...(end === undefined ? {} : { end }),
    ...(total === undefined ? {} : { total }),
  };
}
