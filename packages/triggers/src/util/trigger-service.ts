import type { RunningService } from '@recon/backends';
import type { EnqueuePort } from '@recon/core';
import type { Logger } from '@recon/observability';

export interface TriggerServiceDeps {
  /** Default: structured JSON logs on stdout. */
  logger?: Logger;
  /** Default: the receiver at RECEIVER_URL. Tests pass a recording or failing port. */
  enqueue?: EnqueuePort;
}

export interface TriggerService extends RunningService {
  /** Where the HTTP server listens, e.g. `http://127.0.0.1:8080`. */
  url: string;
}
