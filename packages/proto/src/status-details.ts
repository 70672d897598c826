/**
 * Typed gRPC status details, the way every gRPC implementation carries them: a binary
 * `google.rpc.Status` (code, message, details as `google.protobuf.Any`) in the
 * `grpc-status-details-bin` trailer. Go's `status.WithDetails` / `status.Details()` read and write
 * exactly this, so a Go dispatcher sees our NoRetryDetails and we see its.
 */
import { Metadata } from '@grpc/grpc-js';
import type { BinaryReader, BinaryWriter } from '@bufbuild/protobuf/wire';
import type { Any } from './wire.ts';
import { RpcStatus } from './wire.ts';

export const statusDetailsKey = 'grpc-status-details-bin';
export const typeUrlPrefix = 'type.googleapis.com/';

interface Encodes<T> {
  encode(message: T, writer?: BinaryWriter): BinaryWriter;
}
interface Decodes<T> {
  decode(input: BinaryReader | Uint8Array, length?: number): T;
}

/** The type URL of a message: `type.googleapis.com/<full name>`. */
export function typeUrlOf(fullName: string): string {
  return `${typeUrlPrefix}${fullName}`;
}

/** Wraps a message in an Any under its canonical type URL. */
export function packAny<T>(fullName: string, codec: Encodes<T>, message: T): Any {
  return { typeUrl: typeUrlOf(fullName), value: Buffer.from(codec.encode(message).finish()) };
}

/**
 * Unwraps an Any when it holds `fullName`. Like Go's anypb, only the part after the last `/`
 * names the type, so any URL prefix is accepted.
 */
export function unpackAny<T>(any: Any, fullName: string, codec: Decodes<T>): T | undefined {
  const name = any.typeUrl.slice(any.typeUrl.lastIndexOf('/') + 1);
  if (name !== fullName) return undefined;
  return codec.decode(any.value);
}

/** Trailers carrying `status` as `grpc-status-details-bin` (code and message must match the call's). */
export function statusDetailsMetadata(status: RpcStatus, metadata = new Metadata()): Metadata {
  metadata.set(statusDetailsKey, Buffer.from(RpcStatus.encode(status).finish()));
  return metadata;
}

/** The google.rpc.Status in a call's trailers; undefined when absent or not decodable. */
export function readStatusDetails(metadata: Metadata | undefined): RpcStatus | undefined {
  const raw = metadata?.get(statusDetailsKey)[0];
  if (raw === undefined || typeof raw === 'string') return undefined;
  try {
    return RpcStatus.decode(raw);
  } catch {
    // A peer sent garbage: treat it as a status without details rather than failing the call.
    return undefined;
  }
}

/** The first detail of type `fullName` in a call's trailers. */
export function findStatusDetail<T>(
  metadata: Metadata | undefined,
  fullName: string,
  codec: Decodes<T>,
): T | undefined {
  for (const any of readStatusDetails(metadata)?.details ?? []) {
    try {
      const detail = unpackAny(any, fullName, codec);
      if (detail !== undefined) return detail;
    } catch {
      // An undecodable detail of the right name is no detail; keep looking.
    }
  }
  return undefined;
}
