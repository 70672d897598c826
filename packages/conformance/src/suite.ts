import { describe } from 'vitest';
import type { ConformanceFactory } from './factory.ts';
import { useHarness } from './harness.ts';
import { badInputScenarios } from './scenarios/bad-input.ts';
import { concurrencyScenarios } from './scenarios/concurrency.ts';
import { durabilityScenarios } from './scenarios/durability.ts';
import { fencingScenarios } from './scenarios/fencing.ts';
import { keyStateScenarios } from './scenarios/key-state.ts';
import { lifecycleScenarios } from './scenarios/lifecycle.ts';
import { notBeforeScenarios } from './scenarios/not-before.ts';
import { orderingScenarios } from './scenarios/ordering.ts';
import { orphanScenarios } from './scenarios/orphan.ts';
import { retryScenarios } from './scenarios/retries.ts';

/**
 * Registers spec 01's acceptance scenarios 1–27 as vitest tests against the backend `factory`
 * makes. Call it at the top level of a test file:
 *
 * ```ts
 * runConformanceSuite('memory', { create: async ({ clock, options }) => new MemoryBackend({ clock, workqueue: options }) });
 * ```
 *
 * Every test gets a fresh FakeClock and a fresh backend, checks it is empty, and ends by
 * checking it is empty again. Scenario 24 needs `reopen`; without it the test shows as skipped.
 */
export function runConformanceSuite(name: string, factory: ConformanceFactory): void {
  // Durable backends do real I/O per step; give them room. In-process ones finish in seconds.
  const timeout = factory.durable ? 120_000 : 20_000;
  describe(`workqueue conformance (spec 01): ${name}`, { timeout }, () => {
    const h = useHarness(factory);
    orderingScenarios(h);
    lifecycleScenarios(h);
    notBeforeScenarios(h);
    retryScenarios(h);
    keyStateScenarios(h);
    concurrencyScenarios(h);
    durabilityScenarios(h, factory);
    fencingScenarios(h);
    orphanScenarios(h);
    badInputScenarios(h);
  });
}
