/**
 * The Pub/Sub message source against the REAL Pub/Sub emulator and the real
 * @google-cloud/pubsub client: desired state in, reconcile, reply out.
 */
import { type Message, PubSub, type Subscription } from '@google-cloud/pubsub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Controller,
  MemoryResourceStore,
  nonRetriable,
  PubSubMessageSource,
  type Reply,
  setCondition,
  silentLogger,
} from '../src/index.ts';
import {
  emulatorAvailable,
  type PubSubEmulator,
  startPubSubEmulator,
} from './support/pubsub-emulator.ts';

if (!emulatorAvailable) {
  console.warn(
    'SKIPPED message-source tests: the Pub/Sub emulator (gcloud component) is not installed',
  );
}

describe.skipIf(!emulatorAvailable)('PubSubMessageSource on the Pub/Sub emulator', () => {
  let emulator: PubSubEmulator;
  let pubsub: PubSub;

  beforeAll(async () => {
    process.env.METADATA_SERVER_DETECTION = 'none'; // this test process only: never probe GCE metadata
    emulator = await startPubSubEmulator();
    pubsub = new PubSub({ projectId: 'recon-test', apiEndpoint: emulator.host });
  }, 60_000);

  afterAll(async () => {
    await pubsub?.close();
    await emulator?.stop();
  }, 30_000);

  /** Collects replies from a subscription on the reply topic. */
  function collect(sub: Subscription) {
    const replies: Reply[] = [];
    sub.on('message', (m: Message) => {
      replies.push(JSON.parse(m.data.toString('utf8')) as Reply);
      m.ack();
    });
    const waitFor = async (eventId: string, timeoutMs = 20_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = replies.find((r) => r.eventId === eventId);
        if (found) return found;
        if (Date.now() > deadline)
          throw new Error(`no reply for ${eventId}; got ${JSON.stringify(replies)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    return { replies, waitFor };
  }

  it('applies desired state, reconciles, and replies on the reply topic', async () => {
    const [desired] = await pubsub.createTopic('desired');
    const [inbox] = await desired.createSubscription('desired-dataplane');
    const [replyTopic] = await pubsub.createTopic('replies');
    const [replySub] = await replyTopic.createSubscription('replies-controlplane');
    const { waitFor } = collect(replySub);

    const store = new MemoryResourceStore();
    const reconciled: string[] = [];
    const controller = new Controller({
      logger: silentLogger,
      resources: store,
      retry: { baseMs: 50, capMs: 100, maxAttempts: 2, jitterFraction: 0 },
      reconcilers: {
        db: async (key, ctx) => {
          reconciled.push(key);
          const uid = key.slice(3);
          const db = await store.get<{ size: number }>('db', uid);
          if (!db) return; // deleted: nothing left to clean up in this test
          if (db.spec.size > 100)
            return nonRetriable(new Error(`size ${db.spec.size} exceeds quota`), 'quota');
          const status = setCondition(
            undefined,
            { type: 'Ready', status: true, reason: 'Provisioned' },
            ctx.clock,
          );
          await store.updateStatus('db', uid, status, db.statusVersion);
        },
        flaky: () => {
          throw new Error('backend down');
        },
      },
    });
    const source = new PubSubMessageSource({
      subscription: inbox,
      replyTopic,
      store,
      controller,
      logger: silentLogger,
    });
    await controller.start();
    source.start();
    try {
      const publish = (body: unknown, eventId: string) =>
        desired.publishMessage({ json: body, attributes: { eventId } });

      await publish({ action: 'create', kind: 'db', uid: 'orders', spec: { size: 10 } }, 'ev-1');
      const created = await waitFor('ev-1');
      expect(created).toMatchObject({
        key: 'db/orders',
        status: 'succeeded',
        metadata: { action: 'create', generation: 1 },
      });
      expect(
        (created.metadata.status as { conditions: { type: string }[] }).conditions[0]?.type,
      ).toBe('Ready');

      await publish({ action: 'update', kind: 'db', uid: 'orders', spec: { size: 500 } }, 'ev-2');
      expect(await waitFor('ev-2')).toMatchObject({
        status: 'failed',
        metadata: { generation: 2, error: 'quota: size 500 exceeds quota' },
      });

      await publish({ action: 'create', kind: 'db', uid: 'orders', spec: { size: 1 } }, 'ev-3');
      expect(await waitFor('ev-3')).toMatchObject({ status: 'rejected' }); // already exists

      await publish({ action: 'delete', kind: 'db', uid: 'orders' }, 'ev-4');
      expect(await waitFor('ev-4')).toMatchObject({
        status: 'succeeded',
        metadata: { action: 'delete', deleted: true },
      });
      expect(await store.get('db', 'orders')).toBeUndefined();

      await publish({ action: 'update', kind: 'flaky', uid: 'x', spec: {} }, 'ev-5');
      expect(await waitFor('ev-5')).toMatchObject({
        status: 'dead-lettered',
        metadata: { error: 'backend down' },
      });

      await desired.publishMessage({
        data: Buffer.from('not json'),
        attributes: { eventId: 'ev-6' },
      });
      expect(await waitFor('ev-6')).toMatchObject({
        status: 'rejected',
        metadata: { error: expect.stringMatching(/data/) },
      });

      expect(reconciled.filter((k) => k === 'db/orders').length).toBeGreaterThanOrEqual(3);
    } finally {
      await source.stop();
      await controller.close();
      await replySub.close();
    }
  }, 60_000);
});
