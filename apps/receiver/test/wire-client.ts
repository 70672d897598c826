/**
 * A test client built only from the proto package: the generated grpc-js stub for well-formed
 * calls, and a raw-bytes call for requests no well-behaved encoder would produce.
 */
import { Client, credentials, type ServiceError } from '@grpc/grpc-js';
import {
  BadRequest,
  findStatusDetail,
  messageNames,
  ProcessRequest,
  WorkqueueServiceClient,
  type GetKeyStateRequest,
  type KeyState,
  type ProcessResponse,
} from '@recon/proto';

export interface WireClient {
  process(request: Partial<ProcessRequest> & { key: string }): Promise<ProcessResponse>;
  getKeyState(request: GetKeyStateRequest): Promise<KeyState>;
  raw(path: string, body: Uint8Array): Promise<Buffer>;
  close(): void;
}

export function wireClient(port: number): WireClient {
  const address = `127.0.0.1:${port}`;
  const stub = new WorkqueueServiceClient(address, credentials.createInsecure());
  const raw = new Client(address, credentials.createInsecure());
  const settle =
    <T>(resolve: (v: T) => void, reject: (e: unknown) => void) =>
    (err: ServiceError | null, value?: T) =>
      err ? reject(err) : resolve(value as T);
  return {
    process: (request) =>
      new Promise((resolve, reject) =>
        stub.process({ ...ProcessRequest.create(), ...request }, settle(resolve, reject)),
      ),
    getKeyState: (request) =>
      new Promise((resolve, reject) => stub.getKeyState(request, settle(resolve, reject))),
    raw: (path, body) =>
      new Promise((resolve, reject) =>
        raw.makeUnaryRequest(
          path,
          (b: Buffer) => b,
          (b: Buffer) => b,
          Buffer.from(body),
          settle(resolve, reject),
        ),
      ),
    close() {
      stub.close();
      raw.close();
    },
  };
}

/** The rejection of `promise`, which must reject with a gRPC error. */
export async function failure(
  promise: Promise<unknown>,
): Promise<ServiceError & { field?: string }> {
  try {
    await promise;
  } catch (err) {
    const error = err as ServiceError;
    const field = findStatusDetail(error.metadata, messageNames.badRequest, BadRequest)
      ?.fieldViolations[0]?.field;
    return Object.assign(error, field === undefined ? {} : { field });
  }
  throw new Error('expected the call to fail');
}
