import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { counterNames, gaugeNames, histogramNames } from './metric-names.ts';

/** Latency buckets in seconds: 5 ms to 1 h, covering a no-op reconcile to a long backoff. */
const secondsBuckets = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600,
];
const attemptBuckets = [1, 2, 3, 5, 10, 20, 50, 100];

/** The workqueue's metrics, named as in the Go implementation so existing dashboards work. */
export interface WorkqueueMetrics {
  registry: Registry;
  inProgressKeys: Gauge;
  queuedKeys: Gauge;
  notBeforeKeys: Gauge;
  deadLetteredKeys: Gauge;
  maxAttempts: Gauge;
  processLatency: Histogram;
  waitLatency: Histogram;
  timeToCompletion: Histogram<'priority_class' | 'status'>;
  attemptsAtCompletion: Histogram;
  enumerateLatency: Histogram;
  leaseAge: Histogram;
  addedKeys: Counter;
  dedupedKeys: Counter;
  expiredLeases: Counter;
  dispatchTriggers: Counter<'result'>;
  outcomes: Counter<'outcome'>;
}

/** Registers the workqueue metrics on `registry` (a new one by default). */
export function createWorkqueueMetrics(registry: Registry = new Registry()): WorkqueueMetrics {
  const registers = [registry];
  const gauge = (name: string, help: string) => new Gauge({ name, help, registers });
  const seconds = (name: string, help: string) =>
    new Histogram({ name, help, buckets: secondsBuckets, registers });
  const counter = (name: string, help: string) => new Counter({ name, help, registers });
  return {
    registry,
    inProgressKeys: gauge(
      gaugeNames.inProgressKeys,
      'Keys in progress (per listing; aggregate with MAX).',
    ),
    queuedKeys: gauge(gaugeNames.queuedKeys, 'Keys queued (per listing; aggregate with MAX).'),
    notBeforeKeys: gauge(gaugeNames.notBeforeKeys, 'Queued keys waiting on notBefore (MAX).'),
    deadLetteredKeys: gauge(gaugeNames.deadLetteredKeys, 'Keys in the dead-letter queue (MAX).'),
    maxAttempts: gauge(gaugeNames.maxAttempts, 'Largest attempts count among live keys (MAX).'),
    processLatency: seconds(histogramNames.processLatency, 'Duration of one reconcile attempt.'),
    waitLatency: seconds(
      histogramNames.waitLatency,
      'Time a key waited in the queue before its attempt.',
    ),
    timeToCompletion: new Histogram({
      name: histogramNames.timeToCompletion,
      help: 'From first-queued to completion.',
      labelNames: ['priority_class', 'status'] as const,
      buckets: secondsBuckets,
      registers,
    }),
    attemptsAtCompletion: new Histogram({
      name: histogramNames.attemptsAtCompletion,
      help: 'Attempts a key took when it completed.',
      buckets: attemptBuckets,
      registers,
    }),
    enumerateLatency: seconds(histogramNames.enumerateLatency, 'Duration of a dispatch listing.'),
    leaseAge: seconds(histogramNames.leaseAge, 'Age of live leases seen by the orphan sweep.'),
    addedKeys: counter(counterNames.addedKeys, 'Keys added to the queue.'),
    dedupedKeys: counter(counterNames.dedupedKeys, 'Enqueues merged into an existing queued key.'),
    expiredLeases: counter(
      counterNames.expiredLeases,
      'In-progress keys requeued after their lease expired.',
    ),
    dispatchTriggers: new Counter({
      name: counterNames.dispatchTriggers,
      help: 'Dispatch wakes, accepted or shed by admission.',
      labelNames: ['result'] as const,
      registers,
    }),
    outcomes: new Counter({
      name: counterNames.outcomes,
      help: 'Attempt outcomes (success, requeued, retried, dropped, dead_lettered, orphaned, drained).',
      labelNames: ['outcome'] as const,
      registers,
    }),
  };
}
