/** Real grpc-js servers on 127.0.0.1:0 and a raw-bytes client, for loopback tests. */
import {
  Client,
  credentials,
  Server,
  ServerCredentials,
  type ServiceDefinition,
  type ServiceError,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';

export interface TestServer {
  port: number;
  address: string;
  close(): Promise<void>;
}

export async function startServer(
  definition: ServiceDefinition,
  implementation: UntypedServiceImplementation,
  serverCredentials = ServerCredentials.createInsecure(),
): Promise<TestServer> {
  const server = new Server();
  server.addService(definition, implementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', serverCredentials, (err, bound) =>
      err ? reject(err) : resolve(bound),
    ),
  );
  return {
    port,
    address: `127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}

/** Sends `body` as the request message bytes, exactly, and returns the raw reply bytes. */
export function rawUnary(address: string, path: string, body: Uint8Array): Promise<Buffer> {
  const client = new Client(address, credentials.createInsecure());
  return new Promise<Buffer>((resolve, reject) => {
    client.makeUnaryRequest(
      path,
      (b: Buffer) => b,
      (b: Buffer) => b,
      Buffer.from(body),
      (err: ServiceError | null, reply?: Buffer) => {
        client.close();
        if (err) reject(err);
        else resolve(reply ?? Buffer.alloc(0));
      },
    );
  });
}
