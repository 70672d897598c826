/**
 * Workqueue services are addressed by URL, as in the Go binaries and Cloud Run:
 * `http://host:port` is plain h2c (local, tests, sidecars); `https://…` is TLS, and Cloud Run
 * wants a Google ID token whose audience is the service URL.
 */
import { InvalidArgumentError } from '@recon/core';

export interface GrpcTarget {
  /** `host:port` for grpc-js. */
  address: string;
  /** TLS with an ID token (https) or plain h2c (http). */
  secure: boolean;
  /** The ID-token audience: the URL without a trailing slash (https only). */
  audience: string;
}

export function parseTarget(url: string, field = 'target'): GrpcTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidArgumentError(
      field,
      `${JSON.stringify(url)} is not a URL (use http://host:port or https://host)`,
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new InvalidArgumentError(
      field,
      `${JSON.stringify(url)} must start with http:// or https://`,
    );
  }
  const secure = parsed.protocol === 'https:';
  const port = parsed.port || (secure ? '443' : '80');
  return { address: `${parsed.hostname}:${port}`, secure, audience: url.replace(/\/+$/, '') };
}
