/**
 * The operators' view: key state (one GET per place, in-progress first), paginated listings of
 * one state by key prefix (one list call per page), and stats (one full listing of each prefix;
 * it also refreshes the in-progress cache and the dead-letter index).
 */
import { InvalidArgumentError, KeyStatus, validateKey } from '@recon/core';
import type { KeyStateView, ListOptions, ListPage, QueueStats } from '@recon/core';
import type { BackendContext } from './context.ts';
import { readInProgress, readQueued } from './metadata.ts';
import { Prefix, deadLetterName, inProgressName, keyOf, prefixOf, queuedName } from './names.ts';
import { deadLetterView, inProgressView, queuedView, viewOf } from './views.ts';

const statuses = new Set<string>(Object.values(KeyStatus));

export async function getKeyState(
  ctx: BackendContext,
  rawKey: string,
  signal?: AbortSignal,
): Promise<KeyStateView | undefined> {
  const key = validateKey(rawKey);
  const inProgress = await ctx.io.get(inProgressName(key), signal);
  if (inProgress) return inProgressView(key, inProgress);
  const queued = await ctx.io.get(queuedName(key), signal);
  if (queued) return queuedView(key, queued);
  const dead = await ctx.io.get(deadLetterName(key), signal);
  if (!dead) {
    ctx.deadLetters.delete(key);
    return undefined;
  }
  ctx.deadLetters.add(key);
  return deadLetterView(key, dead);
}

export async function listKeys(
  ctx: BackendContext,
  status: KeyStatus,
  options: ListOptions = {},
  signal?: AbortSignal,
): Promise<ListPage> {
  if (!statuses.has(status))
    throw new InvalidArgumentError('status', `unknown status ${String(status)}`);
  const prefix = options.prefix ?? '';
  if (typeof prefix !== 'string') throw new InvalidArgumentError('prefix', 'must be a string');
  const limit = options.limit ?? 100;
  if (!(Number.isInteger(limit) && limit >= 1 && limit <= 1000)) {
    throw new InvalidArgumentError('limit', `must be an integer in 1..1000, got ${String(limit)}`);
  }
  const objectPrefix = prefixOf(status);
  const page = await ctx.io.list(
    objectPrefix + prefix,
    options.pageToken === undefined
      ? { maxResults: limit }
      : { maxResults: limit, pageToken: options.pageToken },
    signal,
  );
  const entries: KeyStateView[] = [];
  for (const info of page.items) {
    const key = keyOf(info.name, objectPrefix);
    if (key === undefined) continue;
    entries.push(viewOf(status, key, info));
    if (status === KeyStatus.DEAD_LETTER) ctx.deadLetters.add(key);
  }
  const out: ListPage = { entries };
  if (page.nextPageToken !== undefined) out.nextPageToken = page.nextPageToken;
  return out;
}

export async function stats(
  ctx: BackendContext,
  pageSize: number,
  signal?: AbortSignal,
): Promise<QueueStats> {
  const now = ctx.clock.now();
  const out: QueueStats = {
    queued: 0,
    waiting: 0,
    inProgress: 0,
    deadLettered: 0,
    maxAttempts: 0,
    leaseAgesMs: [],
  };
  const queued = async () => {
    for await (const items of ctx.io.scan(Prefix.queued, pageSize, signal)) {
      for (const info of items) {
        const s = readQueued(info.metadata, info.timeCreated);
        out.queued++;
        out.maxAttempts = Math.max(out.maxAttempts, s.attempts);
        if (s.notBefore > now) out.waiting++;
        else if (out.oldestQueuedAt === undefined || s.queuedAt < out.oldestQueuedAt)
          out.oldestQueuedAt = s.queuedAt;
      }
    }
  };
  const inProgress = async () => {
    const live = new Map<string, number>();
    for await (const items of ctx.io.scan(Prefix.inProgress, pageSize, signal)) {
      for (const info of items) {
        const key = keyOf(info.name, Prefix.inProgress);
        if (key === undefined) continue;
        const s = readInProgress(info.metadata, info.timeCreated);
        out.inProgress++;
        out.maxAttempts = Math.max(out.maxAttempts, s.attempts);
        if (s.leaseExpiresAt > now) {
          live.set(key, s.leaseExpiresAt);
          out.leaseAgesMs.push(Math.max(0, now - info.timeCreated));
        }
      }
    }
    ctx.inProgress.replaceOthers(live);
  };
  const deadLetters = async () => {
    const keys: string[] = [];
    for await (const items of ctx.io.scan(Prefix.deadLetter, pageSize, signal)) {
      for (const info of items) {
        const key = keyOf(info.name, Prefix.deadLetter);
        if (key !== undefined) keys.push(key);
      }
    }
    out.deadLettered = keys.length;
    ctx.deadLetters.replaceAll(keys);
  };
  await Promise.all([queued(), inProgress(), deadLetters()]);
  return out;
}
