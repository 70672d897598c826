import { beforeAll, describe, expect, it } from 'vitest';
import { envOf, iamMembers, installMocks, resolve, testProject, types } from './pulumi-mocks.ts';
import type { Recorder } from './pulumi-mocks.ts';
import type * as Lib from '../src/index.ts';

let mocks: Recorder;
let lib: typeof Lib;

beforeAll(async () => {
  mocks = await installMocks();
  lib = await import('../src/index.ts');
});

const regions = { 'us-central1': { network: 'vpc' }, 'europe-west4': { network: 'vpc' } };
const sa = (id: string) => `serviceAccount:${id}@${testProject}.iam.gserviceaccount.com`;
const app = (s: { inputs: Record<string, any> }) => s.inputs['template'].containers[0];

describe('RegionalReconciler', () => {
  let rec: InstanceType<typeof lib.RegionalReconciler>;
  beforeAll(async () => {
    rec = new lib.RegionalReconciler('pr', {
      project: testProject,
      regions,
      reconciler: { image: 'example.com/pr@sha256:1', env: { MODE: 'strict' } },
    });
    await mocks.settle();
  });

  it('deploys <name>-rec (internal, 300 s) and queue <name>-wq in every region', () => {
    const services = mocks
      .of(types.service, 'pr-')
      .map((s) => `${s.inputs['name']}@${s.inputs['location']}`);
    expect(services.sort()).toEqual([
      'pr-rec@europe-west4',
      'pr-rec@us-central1',
      'pr-wq-dsp@europe-west4',
      'pr-wq-dsp@us-central1',
      'pr-wq-rcv@europe-west4',
      'pr-wq-rcv@us-central1',
    ]);
    for (const s of mocks.of(types.service, 'pr-rec-')) {
      expect(s.inputs['ingress']).toBe('INGRESS_TRAFFIC_INTERNAL_ONLY');
      expect(s.inputs['template'].timeout).toBe('300s');
      expect(s.inputs['template'].serviceAccount).toBe(
        `pr-rec@${testProject}.iam.gserviceaccount.com`,
      );
      expect(envOf(app(s))).toEqual({ MODE: 'strict' });
    }
    expect(mocks.of(types.job, 'pr-').map((j) => j.inputs['name'])).toEqual(['pr-wq-reenqueue']);
  });

  it("wires each region's dispatcher to that region's reconciler, with its defaults", () => {
    for (const region of Object.keys(regions)) {
      const dsp = mocks.of(types.service, `pr-wq-dsp-${region}`)[0]!;
      expect(envOf(app(dsp))).toMatchObject({
        WORKQUEUE_TARGET: `https://pr-rec-${region}.run.app`,
        WORKQUEUE_CONCURRENCY: '20',
        WORKQUEUE_BATCH_SIZE: '10',
        WORKQUEUE_MAX_RETRY: '100',
        WORKQUEUE_TIMEOUT: '300s',
      });
    }
    const invokeRec = mocks
      .of(types.serviceIam, 'pr-')
      .filter((g) => g.inputs['name'] === 'pr-rec')
      .map((g) => `${g.inputs['member']}@${g.inputs['location']}`);
    expect(invokeRec.sort()).toEqual([
      `${sa('pr-wq-dsp')}@europe-west4`,
      `${sa('pr-wq-dsp')}@us-central1`,
    ]);
  });

  it('creates its dashboard and the dead-letter alert', () => {
    expect(mocks.of(types.dashboard, 'pr')).toHaveLength(1);
    const json = JSON.parse(mocks.of(types.dashboard, 'pr')[0]!.inputs['dashboardJson']);
    expect(json.displayName).toBe('Reconciler pr');
    expect(mocks.of(types.alert, 'pr-wq-')).toHaveLength(1);
  });

  it('outputs receiver, reconcilerUris, topic, dashboards, maxRetry, concurrentWork, scope', async () => {
    expect(await resolve(rec.receiver.name)).toBe('pr-wq-rcv');
    expect(await resolve(rec.receiver.uris['us-central1']!)).toBe(
      'https://pr-wq-rcv-us-central1.run.app',
    );
    expect(await resolve(rec.reconcilerUris['europe-west4']!)).toBe(
      'https://pr-rec-europe-west4.run.app',
    );
    expect(await resolve(rec.topic)).toEqual([`projects/${testProject}/topics/pr-wq-queued`]);
    expect(await resolve(rec.dashboards)).toEqual(['pr-id']);
    expect([rec.maxRetry, rec.concurrentWork, rec.scope, rec.shards]).toEqual([
      100,
      20,
      'global',
      1,
    ]);
  });
});

describe('RegionalReconciler with shards', () => {
  let rec: InstanceType<typeof lib.RegionalReconciler>;
  beforeAll(async () => {
    rec = new lib.RegionalReconciler('sh', {
      project: testProject,
      regions,
      reconciler: { image: 'example.com/sh:1' },
      serviceAccount: 'mine@p.iam.gserviceaccount.com',
      shards: 3,
      concurrentWork: 8,
      maxRetry: 5,
      scope: 'regional',
      receiverIngress: 'INGRESS_TRAFFIC_ALL',
      images: { router: 'example.com/router:1' },
      dashboard: false,
    });
    await mocks.settle();
  });

  it('builds N queues <name>-wq-<i> behind a router', () => {
    const names = new Set(mocks.of(types.service, 'sh-').map((s) => s.inputs['name']));
    expect([...names].sort()).toEqual([
      'sh-rec',
      'sh-rtr',
      'sh-wq-0-dsp',
      'sh-wq-0-rcv',
      'sh-wq-1-dsp',
      'sh-wq-1-rcv',
      'sh-wq-2-dsp',
      'sh-wq-2-rcv',
    ]);
    expect(mocks.of(types.service, 'sh-').length).toBe(16);
    expect(mocks.of(types.bucket, 'sh-')).toHaveLength(6);
    expect(mocks.of(types.alert, 'sh-')).toHaveLength(3);
    expect(mocks.of(types.dashboard, 'sh')).toHaveLength(0);
    // The reconciler runs as the given account: no account created for it.
    expect(mocks.of(types.account, 'sh-rec')).toHaveLength(0);
  });

  it('gives the router the shard receivers of its region, in shard order', () => {
    for (const region of Object.keys(regions)) {
      const router = mocks.of(types.service, `sh-rtr-${region}`)[0]!;
      expect(app(router).args).toEqual(['serve', 'router']);
      expect(app(router).image).toBe('example.com/router:1');
      expect(router.inputs['ingress']).toBe('INGRESS_TRAFFIC_ALL');
      expect(router.inputs['template'].containers.map((c: { name: string }) => c.name)).toEqual([
        'app',
      ]);
      expect(envOf(app(router))).toEqual({
        WORKQUEUE_SHARDS: [0, 1, 2]
          .map((i) => `https://sh-wq-${i}-rcv-${region}.run.app`)
          .join(','),
      });
    }
    // Shard receivers stay internal; only the router is the queue's entry.
    for (const s of mocks.of(types.service, 'sh-wq-')) {
      expect(s.inputs['ingress']).toBe('INGRESS_TRAFFIC_INTERNAL_ONLY');
    }
  });

  it('lets the router invoke every shard receiver, and nothing else', () => {
    const routerGrants = iamMembers(mocks.under('sh-')).filter(
      (g) => g.inputs['member'] === sa('sh-rtr'),
    );
    const onto = routerGrants
      .filter((g) => g.type === types.serviceIam)
      .map((g) => `${g.inputs['name']}@${g.inputs['location']}`)
      .sort();
    expect(onto).toEqual(
      [0, 1, 2].flatMap((i) => [`sh-wq-${i}-rcv@europe-west4`, `sh-wq-${i}-rcv@us-central1`]),
    );
    // No metrics sidecar, so no metric writer role either.
    expect(routerGrants.filter((g) => g.type !== types.serviceIam)).toEqual([]);
  });

  it('outputs the router as receiver and every topic', async () => {
    expect(await resolve(rec.receiver.name)).toBe('sh-rtr');
    expect((await resolve(rec.topic)).sort()).toEqual(
      [0, 1, 2]
        .flatMap((i) => [`sh-wq-${i}-euw4-queued`, `sh-wq-${i}-usc1-queued`])
        .map((t) => `projects/${testProject}/topics/${t}`),
    );
    expect(await resolve(rec.dashboards)).toEqual([]);
    expect(await resolve(rec.serviceAccount)).toBe('mine@p.iam.gserviceaccount.com');
  });
});

describe('RegionalReconciler validation', () => {
  const base = { project: testProject, regions, reconciler: { image: 'i' } };
  const fieldsOf = (args: Record<string, unknown>): string[] => {
    try {
      new lib.RegionalReconciler('v', { ...base, ...args } as never);
    } catch (err) {
      if (lib.InvalidArgsError.is(err)) return err.problems.map((p) => `${p.field}: ${p.message}`);
      throw err;
    }
    return [];
  };

  it('rejects shards outside 1–5', () => {
    expect(fieldsOf({ shards: 0 })).toEqual(['shards: 0 is outside 1–5']);
    expect(fieldsOf({ shards: 6 })).toEqual(['shards: 6 is outside 1–5']);
    expect(() => new lib.RegionalReconciler('v', { ...base, shards: 9 })).toThrow(
      /recon:gcp:RegionalReconciler "v": invalid arguments:\n {2}- shards: 9 is outside 1–5/,
    );
  });

  it('rejects no regions, a missing image and bad reconciler settings', () => {
    expect(fieldsOf({ regions: {} })).toEqual(['regions: at least one region is required']);
    expect(fieldsOf({ reconciler: undefined })).toEqual([
      'reconciler: is required (at least its image)',
    ]);
    expect(fieldsOf({ reconciler: {}, timeoutSeconds: 0, scaling: { maxInstances: 0 } })).toEqual([
      'reconciler.image: is required',
      'scaling.maxInstances: 0 is outside 1–1000',
      'timeoutSeconds: 0 is outside 1–3600',
    ]);
  });

  it('keeps room for the derived names', () => {
    expect(fieldsOf({ name: 'x'.repeat(37) })).toEqual([
      `name: "${'x'.repeat(37)}" is 37 characters; at most 36 fit the names derived from it`,
    ]);
    expect(fieldsOf({ name: 'x'.repeat(35), shards: 2 })).toEqual([
      `name: "${'x'.repeat(35)}" is 35 characters; at most 34 fit the names derived from it`,
    ]);
  });
});

describe('nothing public', () => {
  it('grants nothing to allUsers or allAuthenticatedUsers', () => {
    for (const m of iamMembers(mocks.resources)) {
      expect(String(m.inputs['member'])).not.toMatch(/allUsers|allAuthenticatedUsers/);
    }
  });
});
