import { beforeAll, describe, expect, it } from 'vitest';
import {
  envOf,
  gcsAgentEmail,
  iamMembers,
  installMocks,
  resolve,
  secretValue,
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

const regions = { 'us-central1': {}, 'europe-west4': { network: 'vpc', subnet: 'sub-eu' } };

function appContainer(service: { inputs: Record<string, any> }): Record<string, any> {
  return service.inputs['template'].containers.find((c: { name: string }) => c.name === 'app');
}

describe('Workqueue (global scope)', () => {
  let wq: InstanceType<typeof lib.Workqueue>;
  beforeAll(async () => {
    wq = new lib.Workqueue('orders', {
      project: testProject,
      regions,
      concurrentWork: 10,
      reconciler: { service: 'orders-rec' },
      notificationChannels: ['projects/p/notificationChannels/1'],
      team: 'Platform',
    });
    await mocks.settle();
  });

  it('creates one multi-region bucket, private and uniform', () => {
    const buckets = mocks.of(types.bucket, 'orders-');
    expect(buckets).toHaveLength(1);
    const b = buckets[0]!.inputs;
    expect(b['name']).toBe('orders-abc123');
    expect(b['location']).toBe('US');
    expect(b['uniformBucketLevelAccess']).toBe(true);
    expect(b['publicAccessPrevention']).toBe('enforced');
    expect(b['forceDestroy']).toBe(false);
    expect(b['labels']).toMatchObject({
      team: 'platform',
      product: 'unknown',
      'recon-name': 'orders',
    });
    const random = mocks.of(types.random, 'orders-')[0]!.inputs;
    expect(random).toMatchObject({ length: 6, lower: true, upper: false, special: false });
  });

  it('notifies one topic of new objects under queued/ only', () => {
    const notifications = mocks.of(types.notification, 'orders-');
    expect(notifications).toHaveLength(1);
    expect(notifications[0]!.inputs).toMatchObject({
      bucket: 'orders-abc123',
      topic: `projects/${testProject}/topics/orders-queued`,
      payloadFormat: 'JSON_API_V1',
      eventTypes: ['OBJECT_FINALIZE'],
      objectNamePrefix: 'queued/',
    });
    expect(mocks.of(types.topic, 'orders-')).toHaveLength(1);
    const publish = mocks.of(types.topicIam, 'orders-');
    expect(publish.map((p) => p.inputs)).toEqual([
      expect.objectContaining({
        topic: 'orders-queued',
        role: 'roles/pubsub.publisher',
        member: `serviceAccount:${gcsAgentEmail}`,
      }),
    ]);
  });

  it('deploys receiver and dispatcher in every region', () => {
    const services = mocks.of(types.service, 'orders-');
    const placed = services.map((s) => `${s.inputs['name']}@${s.inputs['location']}`).sort();
    expect(placed).toEqual([
      'orders-dsp@europe-west4',
      'orders-dsp@us-central1',
      'orders-rcv@europe-west4',
      'orders-rcv@us-central1',
    ]);
    for (const s of services) {
      expect(s.inputs['template'].executionEnvironment).toBe('EXECUTION_ENVIRONMENT_GEN2');
      expect(s.inputs['ingress']).toBe('INGRESS_TRAFFIC_INTERNAL_ONLY');
      const app = appContainer(s);
      expect(app['ports']).toEqual({ name: 'h2c', containerPort: 8080 });
      expect(s.inputs['template'].containers.map((c: { name: string }) => c.name)).toEqual([
        'app',
        'metrics',
      ]);
    }
  });

  it('wires the env of spec 03 between bucket, dispatcher and reconciler', () => {
    const rcv = mocks.of(types.service, 'orders-rcv-us-central1')[0]!;
    expect(appContainer(rcv)['args']).toEqual(['serve', 'receiver']);
    expect(envOf(appContainer(rcv))).toEqual({
      WORKQUEUE_MODE: 'gcs',
      WORKQUEUE_BUCKET: 'orders-abc123',
      HEALTH_PORT: '9090',
    });

    for (const region of Object.keys(regions)) {
      const dsp = mocks.of(types.service, `orders-dsp-${region}`)[0]!;
      expect(appContainer(dsp)['args']).toEqual(['serve', 'dispatcher']);
      expect(envOf(appContainer(dsp))).toEqual({
        NODE_OPTIONS: '--max-semi-space-size=8',
        WORKQUEUE_MODE: 'gcs',
        WORKQUEUE_BUCKET: 'orders-abc123',
        WORKQUEUE_CONCURRENCY: '10',
        WORKQUEUE_BATCH_SIZE: '5',
        WORKQUEUE_MAX_RETRY: '100',
        WORKQUEUE_TARGET: `https://orders-rec-${region}.run.app`,
        WORKQUEUE_TIMEOUT: '300s',
      });
      expect(appContainer(dsp)['resources'].cpuIdle).toBe(false);
      expect(dsp.inputs['template'].scaling.maxInstanceCount).toBe(1);
    }
    const eu = mocks.of(types.service, 'orders-dsp-europe-west4')[0]!;
    expect(eu.inputs['template'].vpcAccess).toEqual({
      egress: 'ALL_TRAFFIC',
      networkInterfaces: [{ network: 'vpc', subnetwork: 'sub-eu' }],
    });
    const us = mocks.of(types.service, 'orders-dsp-us-central1')[0]!;
    expect(us.inputs['template'].vpcAccess).toBeUndefined();
  });

  it("ships the receiver's metrics from HEALTH_PORT 9090 via a RunMonitoring file", () => {
    const rcvSa = `orders-rcv@${testProject}.iam.gserviceaccount.com`;
    for (const region of Object.keys(regions)) {
      const rcv = mocks.of(types.service, `orders-rcv-${region}`)[0]!;
      expect(envOf(appContainer(rcv))['HEALTH_PORT']).toBe('9090');
      const sidecar = rcv.inputs['template'].containers.find(
        (c: { name: string }) => c.name === 'metrics',
      );
      expect(sidecar).toEqual({
        name: 'metrics',
        image: lib.gmpSidecarImage,
        volumeMounts: [{ name: 'rungmp-config', mountPath: '/etc/rungmp' }],
      });
      expect(rcv.inputs['template'].volumes).toEqual([
        {
          name: 'rungmp-config',
          secret: {
            secret: 'orders-rcv-rungmp',
            items: [{ version: 'latest', path: 'config.yaml' }],
          },
        },
      ]);
    }

    // One secret for every region (Secret Manager is global), with the queue's labels.
    const secrets = mocks.of(types.secret, 'orders-');
    expect(secrets.map((x) => x.inputs)).toEqual([
      expect.objectContaining({
        project: testProject,
        secretId: 'orders-rcv-rungmp',
        replication: { auto: {} },
        labels: expect.objectContaining({ 'recon-name': 'orders', team: 'platform' }),
      }),
    ]);
    const versions = mocks.of(types.secretVersion, 'orders-');
    expect(versions).toHaveLength(1);
    expect(versions[0]!.inputs['secret']).toBe('orders-rcv-rungmp-id');
    expect(secretValue(versions[0]!.inputs['secretData'])).toEqual({
      secret: true,
      value: [
        'apiVersion: monitoring.googleapis.com/v1beta',
        'kind: RunMonitoring',
        'metadata:',
        '  name: orders-rcv',
        'spec:',
        '  endpoints:',
        '  - port: 9090',
        '    path: /metrics',
        '    interval: 60s',
        '',
      ].join('\n'),
    });

    // Only the receiver's own account may read it, and only this secret.
    const readers = mocks.of(types.secretIam, 'orders-').map((g) => g.inputs);
    expect(readers).toEqual([
      {
        project: testProject,
        secretId: 'orders-rcv-rungmp',
        role: 'roles/secretmanager.secretAccessor',
        member: `serviceAccount:${rcvSa}`,
      },
    ]);
  });

  it("leaves the dispatcher's sidecar on its default :8080/metrics (no file, no secret)", () => {
    for (const region of Object.keys(regions)) {
      const dsp = mocks.of(types.service, `orders-dsp-${region}`)[0]!;
      expect(envOf(appContainer(dsp))['HEALTH_PORT']).toBeUndefined();
      const sidecar = dsp.inputs['template'].containers.find(
        (c: { name: string }) => c.name === 'metrics',
      );
      expect(sidecar).toEqual({ name: 'metrics', image: lib.gmpSidecarImage });
      expect(dsp.inputs['template'].volumes).toBeUndefined();
    }
    expect(mocks.of(types.secret, 'orders-dsp')).toHaveLength(0);
    expect(mocks.of(types.secretVersion, 'orders-dsp')).toHaveLength(0);
    expect(mocks.of(types.secretIam, 'orders-dsp')).toHaveLength(0);
  });

  it('fans the topic out to each region with a push subscription (OIDC) and a schedule', () => {
    const subs = mocks.of(types.subscription, 'orders-');
    expect(subs.map((s) => s.inputs['name']).sort()).toEqual([
      'orders-dsp-euw4',
      'orders-dsp-usc1',
    ]);
    for (const s of subs) {
      const region = s.name.replace('orders-push-', '');
      const uri = `https://orders-dsp-${region}.run.app`;
      expect(s.inputs).toMatchObject({
        topic: `projects/${testProject}/topics/orders-queued`,
        ackDeadlineSeconds: 600,
        pushConfig: {
          pushEndpoint: `${uri}/`,
          oidcToken: {
            serviceAccountEmail: `orders-trg@${testProject}.iam.gserviceaccount.com`,
            audience: uri,
          },
        },
      });
    }
    const jobs = mocks.of(types.scheduler, 'orders-');
    expect(jobs).toHaveLength(2);
    for (const j of jobs) {
      expect(j.inputs).toMatchObject({ schedule: '* * * * *', name: 'orders-dispatch' });
      expect(j.inputs['httpTarget']).toMatchObject({
        httpMethod: 'POST',
        uri: `https://orders-dsp-${j.inputs['region']}.run.app/`,
        oidcToken: { serviceAccountEmail: `orders-trg@${testProject}.iam.gserviceaccount.com` },
      });
    }
  });

  it('runs the re-enqueue job <name>-reenqueue in the primary region, unscheduled', () => {
    const jobs = mocks.of(types.job, 'orders-');
    expect(jobs).toHaveLength(1);
    const job = jobs[0]!.inputs;
    expect(job['name']).toBe('orders-reenqueue');
    expect(job['location']).toBe('us-central1');
    const container = job['template'].template.containers[0];
    expect(container.args).toEqual(['serve', 'reenqueue']);
    expect(envOf(container)).toMatchObject({
      WORKQUEUE_MODE: 'gcs',
      WORKQUEUE_BUCKET: 'orders-abc123',
    });
    expect(job['template'].template.serviceAccount).toBe(
      `orders-rnq@${testProject}.iam.gserviceaccount.com`,
    );
  });

  it('grants least privilege: objects on this bucket, invoker exactly where spec 06 says', () => {
    const sa = (code: string) =>
      `serviceAccount:orders-${code}@${testProject}.iam.gserviceaccount.com`;
    const bucketGrants = mocks.of(types.bucketIam, 'orders-').map((g) => g.inputs);
    expect(bucketGrants).toHaveLength(3);
    for (const g of bucketGrants) {
      expect(g['bucket']).toBe('orders-abc123');
      expect(g['role']).toBe('roles/storage.objectUser');
    }
    expect(bucketGrants.map((g) => g['member']).sort()).toEqual([sa('dsp'), sa('rcv'), sa('rnq')]);

    const invokers = mocks.of(types.serviceIam, 'orders-').map((g) => g.inputs);
    const who = invokers.map((g) => `${g['member']} -> ${g['name']}@${g['location']}`).sort();
    expect(who).toEqual([
      `${sa('dsp')} -> orders-rec@europe-west4`,
      `${sa('dsp')} -> orders-rec@us-central1`,
      `${sa('trg')} -> orders-dsp@europe-west4`,
      `${sa('trg')} -> orders-dsp@us-central1`,
    ]);
    for (const g of invokers) expect(g['role']).toBe('roles/run.invoker');

    // Project level: only metric writing, for the two services with the metrics sidecar.
    const project = mocks.of(types.projectIam, 'orders-').map((g) => g.inputs);
    expect(project.map((g) => g['role'])).toEqual([
      'roles/monitoring.metricWriter',
      'roles/monitoring.metricWriter',
    ]);
    expect(project.map((g) => g['member']).sort()).toEqual([sa('dsp'), sa('rcv')]);
  });

  it('alerts at one dead-lettered key', () => {
    const alerts = mocks.of(types.alert, 'orders-');
    expect(alerts).toHaveLength(1);
    const condition = alerts[0]!.inputs['conditions'][0].conditionThreshold;
    expect(condition.filter).toContain(
      'prometheus.googleapis.com/workqueue_dead_lettered_keys/gauge',
    );
    expect(condition.filter).toContain('metric.label."service_name"="orders-dsp"');
    // The API takes only GT/LT; the gauge counts whole keys, so > 0 is ≥ 1.
    expect(condition).toMatchObject({ comparison: 'COMPARISON_GT', thresholdValue: 0 });
    expect(condition.aggregations[0]).toMatchObject({
      perSeriesAligner: 'ALIGN_MAX',
      crossSeriesReducer: 'REDUCE_MAX',
    });
    expect(alerts[0]!.inputs['notificationChannels']).toEqual([
      'projects/p/notificationChannels/1',
    ]);
  });

  it('registers its outputs', async () => {
    expect(await resolve(wq.receiver.name)).toBe('orders-rcv');
    expect(await resolve(wq.receiver.uris['europe-west4']!)).toBe(
      'https://orders-rcv-europe-west4.run.app',
    );
    expect(await resolve(wq.dispatcher.name)).toBe('orders-dsp');
    expect(await resolve(wq.bucket['us-central1']!)).toBe('orders-abc123');
    expect(await resolve(wq.topic['europe-west4']!)).toBe(
      `projects/${testProject}/topics/orders-queued`,
    );
    expect(await resolve(wq.reenqueueJob['us-central1']!)).toBe('orders-reenqueue');
    expect(wq.batchSize).toBe(5);
  });
});

describe('Workqueue (regional scope)', () => {
  beforeAll(async () => {
    new lib.Workqueue('rq', {
      project: testProject,
      regions,
      primaryRegion: 'europe-west4',
      scope: 'regional',
      concurrentWork: 7,
      batchSize: 3,
      maxRetry: 0,
      reconciler: { uris: { 'us-central1': 'https://rec-us', 'europe-west4': 'https://rec-eu' } },
      deletionProtection: false,
      images: { receiver: 'example.com/rcv@sha256:1', dispatcher: 'example.com/dsp:2' },
    });
    await mocks.settle();
  });

  it('creates a bucket, topic and notification per region', () => {
    const buckets = mocks.of(types.bucket, 'rq-').map((b) => b.inputs);
    expect(buckets.map((b) => `${b['name']}@${b['location']}`).sort()).toEqual([
      'rq-euw4-abc123@EUROPE-WEST4',
      'rq-usc1-abc123@US-CENTRAL1',
    ]);
    expect(buckets.every((b) => b['forceDestroy'] === true)).toBe(true);
    expect(
      mocks
        .of(types.topic, 'rq-')
        .map((t) => t.inputs['name'])
        .sort(),
    ).toEqual(['rq-euw4-queued', 'rq-usc1-queued']);
    const notifications = mocks.of(types.notification, 'rq-').map((n) => n.inputs);
    expect(notifications).toHaveLength(2);
    expect(notifications.every((n) => n['objectNamePrefix'] === 'queued/')).toBe(true);
  });

  it("points each region's services at that region's bucket and reconciler", () => {
    const dsp = mocks.of(types.service, 'rq-dsp-europe-west4')[0]!;
    expect(envOf(appContainer(dsp))).toMatchObject({
      WORKQUEUE_BUCKET: 'rq-euw4-abc123',
      WORKQUEUE_TARGET: 'https://rec-eu',
      WORKQUEUE_BATCH_SIZE: '3',
      WORKQUEUE_MAX_RETRY: '0',
    });
    expect(appContainer(dsp)['image']).toBe('example.com/dsp:2');
    const sub = mocks.of(types.subscription, 'rq-push-europe-west4')[0]!;
    expect(sub.inputs['topic']).toBe(`projects/${testProject}/topics/rq-euw4-queued`);
  });

  it('makes no invoker grant on a reconciler known only by URL, and no alert when maxRetry is 0', () => {
    const invoked = mocks.of(types.serviceIam, 'rq-').map((g) => g.inputs['name']);
    expect(new Set(invoked)).toEqual(new Set(['rq-dsp']));
    expect(mocks.of(types.alert, 'rq-')).toHaveLength(0);
  });

  it('runs a re-enqueue job per region (each drains its own bucket)', () => {
    const jobs = mocks.of(types.job, 'rq-').map((j) => j.inputs);
    expect(jobs.map((j) => `${j['name']}@${j['location']}`).sort()).toEqual([
      'rq-reenqueue@europe-west4',
      'rq-reenqueue@us-central1',
    ]);
    const eu = mocks.of(types.job, 'rq-reenqueue-europe-west4')[0]!.inputs;
    expect(eu['template'].template.vpcAccess).toEqual({
      egress: 'ALL_TRAFFIC',
      networkInterfaces: [{ network: 'vpc', subnetwork: 'sub-eu' }],
    });
    expect(envOf(eu['template'].template.containers[0]).WORKQUEUE_BUCKET).toBe('rq-euw4-abc123');
  });
});

describe('Workqueue validation', () => {
  const good = { project: testProject, regions, concurrentWork: 5, reconciler: { service: 'x' } };
  const problemsOf = (args: Record<string, unknown>): string[] => {
    try {
      new lib.Workqueue('v', { ...good, ...args } as never);
    } catch (err) {
      if (lib.InvalidArgsError.is(err)) return err.problems.map((p) => `${p.field}: ${p.message}`);
      throw err;
    }
    return [];
  };

  it('rejects no regions', () => {
    expect(problemsOf({ regions: {} })).toEqual(['regions: at least one region is required']);
    expect(() => new lib.Workqueue('v', { ...good, regions: {} })).toThrow(
      /recon:gcp:Workqueue "v": invalid arguments:\n {2}- regions: at least one region is required/,
    );
  });

  it('lists every problem at once, each naming its field', () => {
    const problems = problemsOf({
      name: 'Bad_Name',
      concurrentWork: 0,
      maxRetry: -1,
      location: 'MARS',
      scope: 'zonal',
      primaryRegion: 'asia-east1',
      reconciler: { uris: { 'us-central1': 'https://x' } },
    });
    expect(problems).toEqual([
      'name: "Bad_Name" must be lowercase letters, digits and hyphens, start with a letter and not end with a hyphen',
      'primaryRegion: "asia-east1" is not one of regions (us-central1, europe-west4)',
      'concurrentWork: 0 is outside at least 1',
      'maxRetry: -1 is outside at least 0',
      'location: "MARS" is not one of US, EU, ASIA',
      'scope: "zonal" is not one of global, regional',
      'reconciler.uris: has no entry for region(s) europe-west4',
    ]);
  });

  it('requires concurrentWork and a reconciler', () => {
    expect(problemsOf({ concurrentWork: undefined, reconciler: undefined })).toEqual([
      'concurrentWork: is required',
      "reconciler: is required: the reconciler's Cloud Run service name (service) or its URLs (uris)",
    ]);
  });

  it('rejects a name too long for the derived Cloud Run names', () => {
    expect(problemsOf({ name: 'a'.repeat(40) })).toEqual([
      `name: "${'a'.repeat(40)}" is 40 characters; at most 39 fit the names derived from it`,
    ]);
  });
});

describe('nothing public', () => {
  it('grants nothing to allUsers or allAuthenticatedUsers, anywhere', () => {
    const members = iamMembers(mocks.resources);
    expect(members.length).toBeGreaterThan(10);
    for (const m of members) {
      expect(String(m.inputs['member'])).not.toMatch(/allUsers|allAuthenticatedUsers/);
      expect(m.inputs['members']).toBeUndefined();
    }
  });
});
