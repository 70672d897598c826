import type { ServiceError } from '@grpc/grpc-js';
import type { ProcessFn } from '@recon/dispatch';
import {
  createWorkqueueClient,
  grpcResultToOutcome,
  type WorkqueueClientOptions,
} from '@recon/proto';

export interface GrpcReconciler {
  process: ProcessFn;
  close(): void;
}

/**
 * Calls a reconciler's `WorkqueueService.Process` (ours, or one written against the Go library):
 * key and priority as upstream, plus the ext attempt fields a Go reconciler ignores. The call
 * carries the attempt's deadline and is cancelled when the attempt's signal aborts (lease loss,
 * shutdown). `https://` targets get a Google ID token; `http://` is plain h2c.
 */
export function grpcReconciler(
  target: string,
  options: WorkqueueClientOptions = {},
): GrpcReconciler {
  const client = createWorkqueueClient(target, options);
  return {
    process: async (key, ctx) => {
      try {
        const response = await client.process(
          {
            key,
            priority: ctx.priority,
            attempt: ctx.attempt,
            maxAttempts: ctx.maxAttempts,
            deadlineUnixMs: ctx.deadline,
          },
          { deadline: ctx.deadline, signal: ctx.signal },
        );
        return grpcResultToOutcome({ response });
      } catch (error) {
        return grpcResultToOutcome({ error: error as ServiceError });
      }
    },
    close: () => client.close(),
  };
}
