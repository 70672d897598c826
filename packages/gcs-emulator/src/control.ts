// Control endpoints under /_emulator/ (never faulted, never counted): counters, faults, health.

import { parseJsonBody } from './api-context.ts';
import type { Counters } from './counters.ts';
import { badRequest, HttpError, InvalidOptionError } from './errors.ts';
import type { FaultInjector, FaultOptions } from './faults.ts';
import type { Reply } from './http-io.ts';

export interface ControlDeps {
  readonly counters: Counters;
  readonly faults: FaultInjector;
}

export const CONTROL_PREFIX = '/_emulator/';

export function handleControl(
  deps: ControlDeps,
  method: string,
  path: string,
  body: Buffer,
): Reply {
  const route = `${method} ${path.replace(/\/+$/, '')}`;
  switch (route) {
    case 'GET /_emulator/healthz':
      return { status: 200, body: { status: 'ok' } };
    case 'GET /_emulator/counters':
      return { status: 200, body: deps.counters.snapshot() };
    case 'POST /_emulator/counters/reset':
      deps.counters.reset();
      return { status: 200, body: deps.counters.snapshot() };
    case 'GET /_emulator/faults':
      return { status: 200, body: deps.faults.current() };
    case 'PUT /_emulator/faults': {
      const faults = parseJsonBody(body) ?? {};
      if (typeof faults !== 'object' || Array.isArray(faults))
        throw badRequest('faults must be a JSON object');
      try {
        deps.faults.set(faults as FaultOptions);
      } catch (err) {
        if (InvalidOptionError.is(err)) throw badRequest(err.message);
        throw err;
      }
      return { status: 200, body: deps.faults.current() };
    }
    default:
      throw new HttpError(404, 'notFound', `Not Found: ${route}`);
  }
}
