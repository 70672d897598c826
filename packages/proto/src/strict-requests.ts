/**
 * Request decoding that refuses what the generated decoder would silently accept.
 *
 * Protobuf `string` fields must be valid UTF-8 (spec 01: such a key → INVALID_ARGUMENT), but the
 * generated decoder substitutes U+FFFD for bad bytes, turning a bad key into a different, valid
 * one. And with int64 as JS numbers it throws past 2^53, which grpc-js would answer as INTERNAL.
 * So, before decoding, we walk the raw top-level fields: each known string field must be valid
 * UTF-8 and each known int64 field a safe integer. A failure becomes an InvalidArgumentError
 * naming the field, which the handler turns into INVALID_ARGUMENT — the deserializer itself must
 * not throw for bad input, or grpc-js answers INTERNAL. (Malformed protobuf still throws:
 * INTERNAL, as in grpc-go.)
 */
import { isUtf8 } from 'node:buffer';
import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';
import type { MethodDefinition } from '@grpc/grpc-js';
import { InvalidArgumentError } from '@recon/core';
import type { KeyState, ProcessResponse } from './wire.ts';
import { GetKeyStateRequest, ProcessRequest, WorkqueueServiceService } from './wire.ts';

/** A request that decoded cleanly, or the first field that made it invalid. */
export type Checked<T> = { ok: true; message: T } | { ok: false; error: InvalidArgumentError };

type FieldKind = 'string' | 'int64';
interface FieldRule {
  name: string;
  kind: FieldKind;
}
type FieldRules = Readonly<Record<number, FieldRule>>;

interface Decodes<T> {
  decode(input: Uint8Array): T;
}

export const processRequestRules: FieldRules = {
  1: { name: 'key', kind: 'string' },
  2: { name: 'priority', kind: 'int64' },
  3: { name: 'delay_seconds', kind: 'int64' },
  102: { name: 'deadline_unix_ms', kind: 'int64' },
};

export const getKeyStateRequestRules: FieldRules = {
  1: { name: 'key', kind: 'string' },
};

/** The first rule `bytes` break, or undefined. Throws only for malformed protobuf. */
export function checkFields(
  bytes: Uint8Array,
  rules: FieldRules,
): InvalidArgumentError | undefined {
  const reader = new BinaryReader(bytes);
  while (reader.pos < reader.len) {
    const [fieldNo, wireType] = reader.tag();
    const rule = rules[fieldNo];
    if (rule?.kind === 'string' && wireType === WireType.LengthDelimited) {
      if (!isUtf8(reader.bytes())) return new InvalidArgumentError(rule.name, 'is not valid UTF-8');
    } else if (rule?.kind === 'int64' && wireType === WireType.Varint) {
      const value = BigInt(reader.int64());
      if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
        return new InvalidArgumentError(rule.name, `${value} is out of range`);
      }
    } else {
      reader.skip(wireType, fieldNo);
    }
  }
  return undefined;
}

/** Checks then decodes; never throws for a well-formed message. */
export function decodeChecked<T>(
  bytes: Uint8Array,
  rules: FieldRules,
  codec: Decodes<T>,
): Checked<T> {
  const error = checkFields(bytes, rules);
  return error ? { ok: false, error } : { ok: true, message: codec.decode(bytes) };
}

function encodeChecked<T>(codec: { encode(message: T): { finish(): Uint8Array } }) {
  return (checked: Checked<T>): Buffer => {
    if (!checked.ok) throw checked.error;
    return Buffer.from(codec.encode(checked.message).finish());
  };
}

const { process, getKeyState } = WorkqueueServiceService;

/**
 * WorkqueueService for servers that must reject bad input precisely (receiver, router): the
 * generated definition with requests decoded into `Checked<…>`.
 */
export const StrictWorkqueueService = {
  process: {
    ...process,
    requestSerialize: encodeChecked(ProcessRequest),
    requestDeserialize: (bytes: Buffer): Checked<ProcessRequest> =>
      decodeChecked(bytes, processRequestRules, ProcessRequest),
  } satisfies MethodDefinition<Checked<ProcessRequest>, ProcessResponse>,
  getKeyState: {
    ...getKeyState,
    requestSerialize: encodeChecked(GetKeyStateRequest),
    requestDeserialize: (bytes: Buffer): Checked<GetKeyStateRequest> =>
      decodeChecked(bytes, getKeyStateRequestRules, GetKeyStateRequest),
  } satisfies MethodDefinition<Checked<GetKeyStateRequest>, KeyState>,
} as const;
