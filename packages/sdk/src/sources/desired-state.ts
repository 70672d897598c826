/**
 * Desired-state messages of the control-plane/data-plane pattern: the control plane says what a
 * resource should be (create, update, delete, with the spec as the body); the data plane stores
 * it, reconciles it, and replies with the result.
 *
 * Wire form (a Pub/Sub message): a JSON body
 * `{ "action": "create" | "update" | "delete", "kind": "db", "uid": "orders", "spec": {...},
 *    "ownerRefs": [{ "kind": "app", "uid": "shop" }] }`;
 * the event id is the `eventId` attribute, else the body's `id`, else the Pub/Sub message id.
 */
import { InvalidArgumentError } from '@recon/core';
import type { OwnerRef } from '../resources/resource-store.ts';

export type DesiredAction = 'create' | 'update' | 'delete';

export interface DesiredState {
  eventId: string;
  action: DesiredAction;
  kind: string;
  uid: string;
  spec?: unknown;
  ownerRefs?: OwnerRef[];
}

export interface RawMessage {
  id: string;
  data: Buffer;
  attributes: Record<string, string>;
}

const actions = new Set<string>(['create', 'update', 'delete']);

/** Parses a message; InvalidArgumentError naming the field when it is malformed. */
export function parseDesiredState(message: RawMessage): DesiredState {
  let body: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(message.data.toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error('not an object');
    body = parsed as Record<string, unknown>;
  } catch {
    throw new InvalidArgumentError('data', 'must be a JSON object');
  }
  const text = (field: string): string => {
    const v = body[field];
    if (typeof v !== 'string' || v === '')
      throw new InvalidArgumentError(field, 'must be a non-empty string');
    return v;
  };
  const action = text('action');
  if (!actions.has(action))
    throw new InvalidArgumentError(
      'action',
      `must be create, update or delete, got ${JSON.stringify(action)}`,
    );
  const state: DesiredState = {
    eventId: message.attributes.eventId || (typeof body.id === 'string' && body.id) || message.id,
    action: action as DesiredAction,
    kind: text('kind'),
    uid: text('uid'),
  };
  if (action !== 'delete') {
    if (!('spec' in body)) throw new InvalidArgumentError('spec', `is required for ${action}`);
    state.spec = body.spec;
  }
  if (body.ownerRefs !== undefined) state.ownerRefs = parseOwnerRefs(body.ownerRefs);
  return state;
}

function parseOwnerRefs(value: unknown): OwnerRef[] {
  if (!Array.isArray(value)) throw new InvalidArgumentError('ownerRefs', 'must be an array');
  return value.map((v: unknown, i) => {
    const o = v as Partial<OwnerRef> | null;
    if (typeof o?.kind !== 'string' || typeof o.uid !== 'string') {
      throw new InvalidArgumentError(`ownerRefs[${i}]`, 'must be { kind, uid }');
    }
    return { kind: o.kind, uid: o.uid };
  });
}

/** What the data plane replies about one event. */
export type ReplyStatus = 'succeeded' | 'failed' | 'dead-lettered' | 'rejected';

export interface Reply {
  eventId: string;
  key: string;
  status: ReplyStatus;
  metadata: Record<string, unknown>;
}
