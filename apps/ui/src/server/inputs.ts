/**
 * Every input the API takes, validated the way the receiver validates a ProcessRequest: core's
 * validators, and an InvalidArgumentError naming the field on the wire (`key`, `priority`,
 * `delaySeconds`, `keys[2]`, `prefix`, …). Unknown fields are refused, never ignored.
 */
import {
  InvalidArgumentError,
  KeyStatus,
  validateEnqueue,
  validateKey,
  validatePriority,
  type ValidEnqueue,
} from '@recon/core';

/** Keys one re-enqueue request may name. */
export const maxKeysPerRequest = 1000;

export type Body = Record<string, unknown>;

export function parseEnqueue(body: Body): ValidEnqueue {
  onlyFields(body, ['key', 'priority', 'delaySeconds']);
  validateKey(body.key, 'key');
  const priority = body.priority === undefined ? 0 : integer(body.priority, 'priority');
  const delaySeconds = body.delaySeconds === undefined ? 0 : seconds(body.delaySeconds);
  return validateEnqueue({ key: body.key as string, priority, delayMs: delaySeconds * 1000 });
}

export interface BumpInput {
  key: string;
  priority: number;
}

export function parseBump(body: Body): BumpInput {
  onlyFields(body, ['key', 'priority']);
  const key = validateKey(body.key, 'key');
  if (body.priority === undefined) throw new InvalidArgumentError('priority', 'is required');
  return { key, priority: integer(body.priority, 'priority') };
}

export function parseRunNow(body: Body): { key: string } {
  onlyFields(body, ['key']);
  return { key: validateKey(body.key, 'key') };
}

/** Exactly one of: `keys` (1..1000 keys), `prefix` (every dead letter under it), `all: true`. */
export type ReenqueueInput = { keys: string[] } | { prefix: string };

export function parseReenqueue(body: Body): ReenqueueInput {
  onlyFields(body, ['keys', 'prefix', 'all']);
  const given = (['keys', 'prefix', 'all'] as const).filter((f) => body[f] !== undefined);
  if (given.length !== 1) {
    throw new InvalidArgumentError('keys', 'give exactly one of keys, prefix or all');
  }
  if (body.all !== undefined) {
    if (body.all !== true) throw new InvalidArgumentError('all', 'must be true when given');
    return { prefix: '' };
  }
  if (body.prefix !== undefined) return { prefix: parsePrefix(body.prefix) };
  const keys = body.keys;
  if (!Array.isArray(keys)) throw new InvalidArgumentError('keys', 'must be an array of keys');
  if (keys.length === 0) throw new InvalidArgumentError('keys', 'must not be empty');
  if (keys.length > maxKeysPerRequest) {
    throw new InvalidArgumentError(
      'keys',
      `names ${keys.length} keys; at most ${maxKeysPerRequest} per request (use all or prefix)`,
    );
  }
  return { keys: [...new Set(keys.map((k: unknown, i) => validateKey(k, `keys[${i}]`)))] };
}

/** A key prefix for listings: empty, or a storable key. */
export function parsePrefix(value: unknown, field = 'prefix'): string {
  if (value === undefined || value === '') return '';
  return validateKey(value, field);
}

export const stateNames = {
  queued: KeyStatus.QUEUED,
  'in-progress': KeyStatus.IN_PROGRESS,
  'dead-letter': KeyStatus.DEAD_LETTER,
} as const;
export type StateName = keyof typeof stateNames;

export interface ListQuery {
  state: StateName;
  prefix: string;
  limit: number;
  pageToken?: string;
}

export function parseListQuery(params: URLSearchParams): ListQuery {
  onlyFields(Object.fromEntries(params), ['state', 'prefix', 'limit', 'pageToken']);
  const state = params.get('state') ?? 'queued';
  if (!Object.hasOwn(stateNames, state)) {
    throw new InvalidArgumentError(
      'state',
      `must be one of ${Object.keys(stateNames).join(', ')}, got ${state}`,
    );
  }
  const limitText = params.get('limit') ?? '50';
  const limit = Number(limitText);
  if (!/^\d+$/.test(limitText) || limit < 1 || limit > 500) {
    throw new InvalidArgumentError('limit', `must be an integer in 1..500, got ${limitText}`);
  }
  const query: ListQuery = {
    state: state as StateName,
    prefix: parsePrefix(params.get('prefix') ?? ''),
    limit,
  };
  const token = params.get('pageToken');
  if (token !== null && token !== '') {
    if (token.length > 4096) throw new InvalidArgumentError('pageToken', 'is too long');
    query.pageToken = token;
  }
  return query;
}

export function parseKeyQuery(params: URLSearchParams): string {
  onlyFields(Object.fromEntries(params), ['key']);
  return validateKey(params.get('key') ?? '', 'key');
}

function onlyFields(body: Body, allowed: readonly string[]): void {
  for (const field of Object.keys(body)) {
    if (!allowed.includes(field)) {
      throw new InvalidArgumentError(
        field,
        `is not a known field (expected ${allowed.join(', ')})`,
      );
    }
  }
}

function integer(value: unknown, field: string): number {
  if (typeof value !== 'number') {
    throw new InvalidArgumentError(field, `must be a JSON number, got ${typeof value}`);
  }
  return validatePriority(value, field);
}

function seconds(value: unknown): number {
  const field = 'delaySeconds';
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidArgumentError(
      field,
      `must be a finite number of seconds, got ${String(value)}`,
    );
  }
  if (value < 0) throw new InvalidArgumentError(field, `must not be negative, got ${value}`);
  if (!Number.isFinite(value * 1000))
    throw new InvalidArgumentError(field, `is too large: ${value}`);
  return value;
}
