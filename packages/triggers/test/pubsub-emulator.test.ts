/**
 * Against the real Pub/Sub emulator (started once for this file): the CloudEvents bridge in pull
 * mode, a receiver outage (nack → redelivery → nothing lost), and the webhook ingress publishing
 * CloudEvents to a broker topic that a bridge turns back into keys.
 */
import type { Message, PubSub, Topic } from '@google-cloud/pubsub';
import { FakeClock } from '@recon/core';
import { silentLogger } from '@recon/observability';
import { MemoryBackend } from '@recon/workqueue-memory';
import { CloudEvent, HTTP } from 'cloudevents';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createCloudEventsBridge,
  serveCloudEventsBridgeFromEnv,
  serveGithubWebhookFromEnv,
  startPullSubscriber,
} from '../src/index.ts';
import { deliver, payloads } from './support/github-payloads.ts';
import { RecordingPort } from './support/ports.ts';
import {
  emulatorAvailable,
  startPubsubEmulator,
  type PubsubEmulator,
} from './support/pubsub-emulator.ts';
import { startTestReceiver, type TestReceiver } from './support/test-receiver.ts';

const available = emulatorAvailable();
const prKey = (n: number) => `https://github.com/chainguard-dev/recon/pull/${n}`;

/** Publishes a CloudEvent in the Pub/Sub binding's binary mode (ce-* attributes). */
async function publishBinary(
  topic: Topic,
  extensions: Record<string, string>,
  type = 'dev.chainguard.github.pull_request',
) {
  const message = HTTP.binary(
    new CloudEvent({
      type,
      source: 'https://github.com/chainguard-dev/recon',
      data: { action: 'opened' },
      ...extensions,
    }),
  );
  const attributes: Record<string, string> = {};
  for (const [k, v] of Object.entries(message.headers)) attributes[k] = String(v);
  await topic.publishMessage({ data: Buffer.from(String(message.body)), attributes });
}

async function publishStructured(topic: Topic, extensions: Record<string, string>) {
  const message = HTTP.structured(
    new CloudEvent({ type: 'dev.chainguard.github.pull_request', source: '/s', ...extensions }),
  );
  await topic.publishMessage({
    data: Buffer.from(String(message.body)),
    attributes: { 'content-type': 'application/cloudevents+json' },
  });
}

describe.skipIf(!available)('with the Pub/Sub emulator', () => {
  let emulator: PubsubEmulator;
  let pubsub: PubSub;
  let n = 0;
  const topicWithSubscription = async () => {
    const name = `topic-${++n}`;
    const [topic] = await pubsub.createTopic(name);
    await topic.createSubscription(`${name}-sub`, { ackDeadlineSeconds: 10 });
    return { topic, subscription: `projects/${emulator.projectId}/subscriptions/${name}-sub` };
  };

  beforeAll(async () => {
    process.env['METADATA_SERVER_DETECTION'] = 'none';
    emulator = await startPubsubEmulator();
    pubsub = emulator.pubsub;
  }, 60_000);
  afterAll(async () => {
    await emulator?.stop();
  });

  it('pull mode from env: binary and structured events become keys; no key → dropped; filtered', async () => {
    const queue = new MemoryBackend({ clock: new FakeClock() });
    const receiver: TestReceiver = await startTestReceiver(queue);
    const { topic, subscription } = await topicWithSubscription();
    const service = await serveCloudEventsBridgeFromEnv(
      {
        PORT: '0',
        HOST: '127.0.0.1',
        RECEIVER_URL: receiver.url,
        EXTENSION_KEY: 'pullrequesturl',
        PRIORITY: '5',
        FILTERS: JSON.stringify([{ type: 'dev.chainguard.github.pull_request' }]),
        PUBSUB_SUBSCRIPTION: subscription,
        PUBSUB_EMULATOR_HOST: emulator.host,
        PUBSUB_PROJECT_ID: emulator.projectId,
      },
      { logger: silentLogger },
    );
    try {
      const keys = Array.from({ length: 20 }, (_, i) => prKey(i + 1));
      await Promise.all([
        ...keys.slice(0, 18).map((k) => publishBinary(topic, { pullrequesturl: k })),
        ...keys.slice(18).map((k) => publishStructured(topic, { pullrequesturl: k })),
        publishBinary(topic, {}),
        publishBinary(topic, { pullrequesturl: '' }),
        publishBinary(topic, { pullrequesturl: prKey(999) }, 'dev.chainguard.github.push'),
      ]);
      const metric = async (result: string) => {
        const text = await (await fetch(`${service.url}/metrics`)).text();
        return Number(new RegExp(`result="${result}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
      };
      await vi.waitFor(
        async () => {
          expect(await metric('enqueued')).toBe(20);
          expect(await metric('dropped')).toBe(2);
          expect(await metric('filtered')).toBe(1);
        },
        { timeout: 20_000, interval: 100 },
      );
      for (const k of keys)
        expect(await queue.getKeyState(k)).toMatchObject({ status: 'QUEUED', priority: 5 });
      expect(await queue.getKeyState(prKey(999))).toBeUndefined();
    } finally {
      await service.stop();
      await receiver.close();
      await queue.close();
    }
  }, 40_000);

  it('receiver down: messages are nacked and redelivered, and once it recovers every key is enqueued', async () => {
    const queue = new MemoryBackend({ clock: new FakeClock() });
    const port = new RecordingPort(queue);
    const { topic, subscription } = await topicWithSubscription();
    const bridge = createCloudEventsBridge({ enqueue: port, extensionKey: 'pullrequesturl' });
    port.down = true;
    const subscriber = startPullSubscriber({
      pubsub,
      subscription,
      bridge,
      logger: silentLogger,
      nackDelayMs: 50,
    });
    try {
      const keys = Array.from({ length: 30 }, (_, i) => prKey(100 + i));
      await Promise.all(keys.map((k) => publishBinary(topic, { pullrequesturl: k })));
      // Every message is tried and refused, and some are redelivered and refused again.
      await vi.waitFor(
        () => {
          expect(new Set(port.failedCalls.map((c) => c.key)).size).toBe(30);
          expect(port.failedCalls.length).toBeGreaterThan(30);
        },
        { timeout: 20_000, interval: 50 },
      );
      expect(port.calls).toHaveLength(0);
      port.down = false;
      await vi.waitFor(() => expect(new Set(port.calls.map((c) => c.key)).size).toBe(30), {
        timeout: 20_000,
        interval: 50,
      });
      for (const k of keys) expect(await queue.getKeyState(k)).toBeDefined();
      const counts = Object.fromEntries(
        (await bridge.metrics.events.get()).values.map((v) => [v.labels.result, v.value]),
      );
      expect(counts['failed']).toBe(port.failedCalls.length);
      expect(counts['enqueued']).toBe(port.calls.length);
    } finally {
      await subscriber.close();
      await queue.close();
    }
  }, 60_000);

  it('the webhook ingress publishes CloudEvents to the broker, which a bridge turns into keys', async () => {
    const secret = 'broker-secret';
    const { topic, subscription } = await topicWithSubscription();
    const inspect = `${topic.name.split('/').pop()}-inspect`;
    await topic.createSubscription(inspect);
    const ingress = await serveGithubWebhookFromEnv(
      {
        PORT: '0',
        HOST: '127.0.0.1',
        GITHUB_WEBHOOK_SECRET: secret,
        BROKER_TOPIC: topic.name,
        PUBSUB_EMULATOR_HOST: emulator.host,
        PUBSUB_PROJECT_ID: emulator.projectId,
      },
      { logger: silentLogger },
    );
    const queue = new MemoryBackend({ clock: new FakeClock() });
    const bridge = createCloudEventsBridge({
      enqueue: queue,
      extensionKey: 'pullrequesturl',
      priority: 100,
    });
    const subscriber = startPullSubscriber({ pubsub, subscription, bridge, logger: silentLogger });
    const seen: Message[] = [];
    const inspector = pubsub.subscription(inspect);
    inspector.on('message', (m: Message) => {
      seen.push(m);
      m.ack();
    });
    try {
      const delivery = '5e8f2a10-1111-4222-8333-944455556666';
      const res = await deliver(ingress.url, 'pull_request', payloads.pullRequestOpened(42), {
        secret,
        delivery,
      });
      expect(res.json()).toMatchObject({ result: 'accepted', keys: 1 });
      const suite = await deliver(
        ingress.url,
        'check_suite',
        payloads.checkSuiteCompleted([43, 44]),
        { secret, delivery: 'suite-1' },
      );
      expect(suite.json()).toMatchObject({ result: 'accepted', keys: 2 });
      const issue = await deliver(ingress.url, 'issues', payloads.issueOpened(7), { secret });
      expect(issue.json()).toMatchObject({ result: 'accepted', keys: 1 });

      await vi.waitFor(() => expect(seen).toHaveLength(4), { timeout: 20_000, interval: 50 });
      const pr = seen.find((m) => m.attributes['ce-id'] === delivery);
      expect(pr?.attributes).toMatchObject({
        'ce-specversion': '1.0',
        'ce-type': 'dev.chainguard.github.pull_request',
        'ce-source': 'https://github.com/chainguard-dev/recon',
        'ce-subject': 'chainguard-dev/recon',
        'ce-pullrequesturl': prKey(42),
        'ce-action': 'opened',
        'content-type': 'application/json',
      });
      expect(JSON.parse(pr!.data.toString()).pull_request.number).toBe(42);
      const ids = seen.map((m) => m.attributes['ce-id']);
      expect(ids).toEqual(expect.arrayContaining([delivery, 'suite-1-0', 'suite-1-1']));
      const issueEvent = seen.find(
        (m) => m.attributes['ce-type'] === 'dev.chainguard.github.issues',
      );
      expect(issueEvent?.attributes['ce-issueurl']).toBe(
        'https://github.com/chainguard-dev/recon/issues/7',
      );

      // The bridge (extension pullrequesturl) takes the three PR keys and drops the issue event.
      await vi.waitFor(
        async () => {
          for (const n of [42, 43, 44])
            expect(await queue.getKeyState(prKey(n))).toMatchObject({ priority: 100 });
        },
        { timeout: 20_000, interval: 50 },
      );
    } finally {
      await inspector.close();
      await subscriber.close();
      await ingress.stop();
      await queue.close();
    }
  }, 60_000);
});
