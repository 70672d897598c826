/**
 * Storage faults over time: the emulator cycles through calm, degraded (5% 503s, 10 ms) and bad
 * (10% 503s, 40 ms) phases, set through its control endpoint (never faulted itself).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { FaultOptions } from '@recon/gcs-emulator';
import { between, type Random } from './random.ts';

export interface FaultPhase {
  name: string;
  faults: FaultOptions;
}

export const faultPhases: readonly FaultPhase[] = [
  { name: 'degraded', faults: { errorRate: 0.05, errorStatuses: [503], latencyMs: 10 } },
  { name: 'bad', faults: { errorRate: 0.1, errorStatuses: [503], latencyMs: 40 } },
  { name: 'calm', faults: {} },
];

/** Cycles the phases until `signal`, each lasting 10–30 s; then clears all faults. */
export async function cycleFaults(options: {
  setFaults: (faults: FaultOptions) => Promise<void>;
  random: Random;
  signal: AbortSignal;
  onPhase: (phase: FaultPhase) => void;
}): Promise<void> {
  for (let i = 0; !options.signal.aborted; i++) {
    const phase = faultPhases[i % faultPhases.length]!;
    await options.setFaults(phase.faults);
    options.onPhase(phase);
    await sleep(between(options.random, 10_000, 30_000), undefined, {
      signal: options.signal,
    }).catch(() => undefined);
  }
  await options.setFaults({});
}
