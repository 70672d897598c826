/** KeyStateView of each kind of copy, from its object. */
import { KeyStatus } from '@recon/core';
import type { KeyStateView } from '@recon/core';
import type { ObjectInfo } from './bucket-io.ts';
import { readDeadLetter, readInProgress, readQueued } from './metadata.ts';

export function queuedView(key: string, info: ObjectInfo): KeyStateView {
  const s = readQueued(info.metadata, info.timeCreated);
  const view: KeyStateView = {
    key,
    status: KeyStatus.QUEUED,
    priority: s.priority,
    attempts: s.attempts,
    queuedAt: s.queuedAt,
    notBefore: s.notBefore,
    floor: s.floor,
    firstQueuedAt: s.firstQueuedAt,
  };
  if (s.lastError !== undefined) view.lastError = s.lastError;
  if (s.lastAttemptedAt !== undefined) view.lastAttemptedAt = s.lastAttemptedAt;
  return view;
}

export function inProgressView(key: string, info: ObjectInfo): KeyStateView {
  const s = readInProgress(info.metadata, info.timeCreated);
  const view: KeyStateView = {
    key,
    status: KeyStatus.IN_PROGRESS,
    priority: s.priority,
    attempts: s.attempts,
    queuedAt: info.timeCreated,
    notBefore: 0,
    floor: false,
    firstQueuedAt: s.firstQueuedAt,
    leaseExpiresAt: s.leaseExpiresAt,
  };
  if (s.owner !== undefined) view.owner = s.owner;
  if (s.lastError !== undefined) view.lastError = s.lastError;
  if (s.lastAttemptedAt !== undefined) view.lastAttemptedAt = s.lastAttemptedAt;
  return view;
}

export function deadLetterView(key: string, info: ObjectInfo): KeyStateView {
  const s = readDeadLetter(info.metadata, info.timeCreated);
  const view: KeyStateView = {
    key,
    status: KeyStatus.DEAD_LETTER,
    priority: s.priority,
    attempts: s.attempts,
    queuedAt: info.timeCreated,
    notBefore: 0,
    floor: false,
    firstQueuedAt: s.firstQueuedAt,
    failedAt: s.failedAt,
  };
  if (s.lastError !== undefined) view.lastError = s.lastError;
  if (s.lastAttemptedAt !== undefined) view.lastAttemptedAt = s.lastAttemptedAt;
  return view;
}

export function viewOf(status: KeyStatus, key: string, info: ObjectInfo): KeyStateView {
  switch (status) {
    case KeyStatus.QUEUED:
      return queuedView(key, info);
    case KeyStatus.IN_PROGRESS:
      return inProgressView(key, info);
    case KeyStatus.DEAD_LETTER:
      return deadLetterView(key, info);
  }
}
