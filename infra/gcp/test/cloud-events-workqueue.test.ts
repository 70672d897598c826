import { beforeAll, describe, expect, it } from 'vitest';
import {
  envOf,
  iamMembers,
  installMocks,
  projectNumber,
  resolve,
  testProject,
  types,
} from './pulumi-mocks.ts';
import type { Recorder } from './pulumi-mocks.ts';
import type * as Lib from '../src/index.ts';

let mocks: Recorder;
let lib: typeof Lib;

beforeAll(async () => {
  mocks = await installMocks();
  lib = await import('../src/index.ts');
});

const regions = { 'us-central1': {}, 'europe-west4': {} };
const broker = {
  'us-central1': 'projects/p/topics/broker-us',
  'europe-west4': 'projects/p/topics/broker-eu',
};
const receiver = {
  name: 'prs-wq-rcv',
  uris: { 'us-central1': 'https://rcv-us', 'europe-west4': 'https://rcv-eu' },
};
const pubsubAgent = `serviceAccount:service-${projectNumber}@gcp-sa-pubsub.iam.gserviceaccount.com`;
const sa = (id: string) => `serviceAccount:${id}@${testProject}.iam.gserviceaccount.com`;

describe('CloudEventsWorkqueue', () => {
  let ce: InstanceType<typeof lib.CloudEventsWorkqueue>;
  const filters: Record<string, string>[] = [
    { type: 'dev.chainguard.github.pull_request', action: 'opened' },
    { type: 'dev.chainguard.github.check_run' },
  ];
  beforeAll(async () => {
    ce = new lib.CloudEventsWorkqueue('prs', {
      project: testProject,
      regions,
      broker,
      filters,
      extensionKey: 'pullrequesturl',
      workqueue: receiver,
    });
    await mocks.settle();
  });

  it('runs a bridge per region that enqueues to that region’s receiver', () => {
    const bridges = mocks.of(types.service, 'prs-ce-');
    expect(bridges).toHaveLength(2);
    for (const b of bridges) {
      const region = b.inputs['location'] as 'us-central1' | 'europe-west4';
      const app = b.inputs['template'].containers[0];
      expect(b.inputs['name']).toBe('prs-ce');
      expect(b.inputs['ingress']).toBe('INGRESS_TRAFFIC_INTERNAL_ONLY');
      expect(app.args).toEqual(['serve', 'cloudevents-bridge']);
      expect(envOf(app)).toEqual({
        RECEIVER_URL: receiver.uris[region],
        EXTENSION_KEY: 'pullrequesturl',
        PRIORITY: '0',
        FILTERS: JSON.stringify(filters),
      });
    }
  });

  it('subscribes once per filter and region, with the delivery settings of spec 06', () => {
    const subs = mocks.of(types.subscription, 'prs-').filter((s) => s.inputs['name'] !== 'prs-dlq');
    expect(subs.map((s) => s.inputs['name']).sort()).toEqual([
      'prs-euw4-0',
      'prs-euw4-1',
      'prs-usc1-0',
      'prs-usc1-1',
    ]);
    const us0 = subs.find((s) => s.inputs['name'] === 'prs-usc1-0')!.inputs;
    expect(us0).toMatchObject({
      topic: broker['us-central1'],
      filter:
        'attributes.ce-type = "dev.chainguard.github.pull_request" AND attributes.ce-action = "opened"',
      ackDeadlineSeconds: 300,
      retryPolicy: { minimumBackoff: '10s', maximumBackoff: '600s' },
      deadLetterPolicy: {
        deadLetterTopic: `projects/${testProject}/topics/prs-dlq`,
        maxDeliveryAttempts: 20,
      },
      pushConfig: {
        pushEndpoint: 'https://prs-ce-us-central1.run.app/',
        oidcToken: { serviceAccountEmail: `prs-cep@${testProject}.iam.gserviceaccount.com` },
      },
    });
    const eu1 = subs.find((s) => s.inputs['name'] === 'prs-euw4-1')!.inputs;
    expect(eu1['filter']).toBe('attributes.ce-type = "dev.chainguard.github.check_run"');
    expect(eu1['topic']).toBe(broker['europe-west4']);
  });

  it('keeps dead letters and lets Pub/Sub forward them', () => {
    const dlqSub = mocks.of(types.subscription, 'prs-dlq')[0]!.inputs;
    expect(dlqSub['topic']).toBe(`projects/${testProject}/topics/prs-dlq`);
    expect(dlqSub['pushConfig']).toBeUndefined();
    expect(dlqSub['messageRetentionDuration']).toBe('604800s');
    const publisher = mocks.of(types.topicIam, 'prs-').map((g) => g.inputs);
    expect(publisher).toEqual([
      expect.objectContaining({
        topic: 'prs-dlq',
        role: 'roles/pubsub.publisher',
        member: pubsubAgent,
      }),
    ]);
    const subscriber = mocks.of(types.subscriptionIam, 'prs-').map((g) => g.inputs);
    expect(subscriber).toHaveLength(4);
    for (const g of subscriber)
      expect(g).toMatchObject({ role: 'roles/pubsub.subscriber', member: pubsubAgent });
  });

  it('lets the bridge invoke the receiver and the delivery account the bridge, only', () => {
    const grants = mocks
      .of(types.serviceIam, 'prs-')
      .map((g) => `${g.inputs['member']} -> ${g.inputs['name']}@${g.inputs['location']}`);
    expect(grants.sort()).toEqual([
      `${sa('prs-ceb')} -> prs-wq-rcv@europe-west4`,
      `${sa('prs-ceb')} -> prs-wq-rcv@us-central1`,
      `${sa('prs-cep')} -> prs-ce@europe-west4`,
      `${sa('prs-cep')} -> prs-ce@us-central1`,
    ]);
    for (const m of iamMembers(mocks.resources)) {
      expect(String(m.inputs['member'])).not.toMatch(/allUsers|allAuthenticatedUsers/);
    }
  });

  it('registers its outputs', async () => {
    expect(await resolve(ce.bridge.name)).toBe('prs-ce');
    expect(await resolve(ce.deadLetterTopic)).toBe(`projects/${testProject}/topics/prs-dlq`);
    expect(await Promise.all(ce.subscriptions.map(resolve))).toHaveLength(4);
  });

  it('rejects bad arguments, naming each field', () => {
    let caught: unknown;
    try {
      new lib.CloudEventsWorkqueue('bad', {
        project: testProject,
        regions,
        broker: { 'us-central1': 't' },
        filters: [],
        extensionKey: 'Not-A-Key',
        workqueue: { name: 'r', uris: { 'us-central1': 'u' } },
        maxDeliveryAttempts: 2,
        minimumBackoffSeconds: 700,
      });
    } catch (err) {
      caught = err;
    }
    expect(lib.InvalidArgsError.is(caught)).toBe(true);
    expect(
      (caught as InstanceType<typeof lib.InvalidArgsError>).problems.map(
        (p) => `${p.field}: ${p.message}`,
      ),
    ).toEqual([
      'filters: at least one filter (attribute → exact value) is required',
      'maxDeliveryAttempts: 2 is outside 5–100',
      'minimumBackoffSeconds: 700 is outside 0–600',
      'extensionKey: is required: a CloudEvent extension name (1–20 lowercase letters or digits)',
      'minimumBackoffSeconds: must not exceed maximumBackoffSeconds',
      'broker: has no entry for region(s) europe-west4',
      'workqueue.uris: has no entry for region(s) europe-west4',
    ]);
  });
});
