import { done, nonRetriable, reconciler, requeueAfter } from '@recon/sdk';
import { createHarness, failNth, ms } from '../src/index.ts';
import { expect, it } from 'vitest';

// The reconciler under test: converges a database, polls while it provisions.
const provisioned = new Set<string>();
const reconcileDb = reconciler(async (key) => {
  if (!key.startsWith('db/'))
    return nonRetriable(new Error(`not a database: ${key}`), 'invalid-key');
  if (!provisioned.has(key)) {
    provisioned.add(key); // start provisioning, look again in a minute
    return requeueAfter('1m');
  }
  return done();
});

it('survives a transient failure and converges', async () => {
  // The first call fails; the harness backs off (1 s, no jitter) on a FakeClock and retries.
  const h = createHarness(failNth(reconcileDb, 1), { maxRetry: 5 });
  await h.enqueue('db/orders');
  const summary = await h.run(); // to quiescence; simulated time, no real sleeping

  expect(summary.quiescent).toBe(true);
  expect(h.outcomes('db/orders').map((o) => [o.attempt, o.kind])).toEqual([
    [1, 'error'], // the injected fault
    [2, 'requeue-after'], // provisioning started
    [1, 'success'], // attempts reset by the requeue-after
  ]);
  expect(h.outcomes('db/orders')[2]?.at).toBe(ms('1s') + ms('1m'));
});

it('drops keys it can never handle', async () => {
  const h = createHarness(reconcileDb);
  await h.enqueue('bogus');
  await h.run();
  expect(h.outcomes('bogus')).toMatchObject([
    { attempt: 1, kind: 'non-retriable', action: 'dropped' },
  ]);
  expect(await h.state('bogus')).toBeUndefined();
});
