// What API handlers share: the store and the resumable sessions.

import { badRequest } from './errors.ts';
import type { ObjectsStore } from './objects-store.ts';
import type { UploadSessions } from './uploads.ts';

export interface ApiContext {
  readonly store: ObjectsStore;
  readonly uploads: UploadSessions;
}

/** A JSON request body; undefined when empty. */
export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw badRequest('request body is not valid JSON');
  }
}
