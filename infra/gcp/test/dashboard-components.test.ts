import { beforeAll, describe, expect, it } from 'vitest';
import { installMocks, resolve, testProject, types } from './pulumi-mocks.ts';
import type { Recorder } from './pulumi-mocks.ts';
import type * as Lib from '../src/index.ts';

let mocks: Recorder;
let lib: typeof Lib;

beforeAll(async () => {
  mocks = await installMocks();
  lib = await import('../src/index.ts');
});

describe('WorkqueueDashboard', () => {
  it('creates a Cloud Monitoring dashboard from the pure builder', async () => {
    const d = new lib.WorkqueueDashboard('jobs', { project: testProject, concurrentWork: 50 });
    await mocks.settle();
    const [dashboard] = mocks.of(types.dashboard, 'jobs');
    expect(dashboard!.inputs['project']).toBe(testProject);
    const json = JSON.parse(dashboard!.inputs['dashboardJson']);
    expect(json).toEqual(
      lib.workqueueDashboardJson({
        displayName: 'Workqueue jobs',
        project: testProject,
        queues: ['jobs'],
        concurrentWork: 50,
        maxRetry: 100,
        scope: 'global',
      }),
    );
    expect(await resolve(d.dashboardId)).toBe('jobs-id');
  });

  it('rejects bad settings', () => {
    expect(() => new lib.WorkqueueDashboard('x', { project: testProject, queues: [] })).toThrow(
      /queues: at least one queue is required/,
    );
    expect(() => new lib.WorkqueueDashboard('x', { project: testProject, maxRetry: -1 })).toThrow(
      /maxRetry: -1 is outside at least 0/,
    );
  });
});

describe('ReconcilerDashboard', () => {
  it('shows the reconciler, its router and every shard', async () => {
    new lib.ReconcilerDashboard('dash', { project: testProject, name: 'orders', shards: 2 });
    await mocks.settle();
    const json = JSON.parse(mocks.of(types.dashboard, 'dash')[0]!.inputs['dashboardJson']);
    expect(json.displayName).toBe('Reconciler orders');
    const text = JSON.stringify(json);
    for (const service of ['orders-rec', 'orders-rtr', 'orders-wq-0-dsp', 'orders-wq-1-rcv']) {
      expect(text).toContain(service);
    }
    expect(() => new lib.ReconcilerDashboard('x', { project: testProject, shards: 6 })).toThrow(
      /shards: 6 is outside 1–5/,
    );
  });
});

describe('DeadLetterAlert', () => {
  it('alerts at one dead-lettered key, to the given channels', async () => {
    const alert = new lib.DeadLetterAlert('dl', {
      project: testProject,
      queue: 'orders',
      notificationChannels: ['projects/p/notificationChannels/9'],
    });
    await mocks.settle();
    const policy = mocks.of(types.alert, 'dl')[0]!.inputs;
    expect(policy).toMatchObject({
      displayName: 'Workqueue dead-lettered keys orders',
      combiner: 'OR',
      severity: 'ERROR',
      notificationChannels: ['projects/p/notificationChannels/9'],
    });
    expect(policy['conditions'][0].conditionThreshold).toMatchObject({
      comparison: 'COMPARISON_GT',
      thresholdValue: 0,
    });
    expect(policy['documentation'].content).toContain('gcloud run jobs execute orders-reenqueue');
    expect(await resolve(alert.policyName)).toBe(`projects/${testProject}/things/dl`);
  });
});
