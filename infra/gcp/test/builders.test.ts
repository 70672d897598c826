// The pure builders behind the components: names, env, IAM sets, filters, labels, errors.
import { describe, expect, it } from 'vitest';
import {
  dispatcherEnv,
  envByRegion,
  receiverEnv,
  reenqueueEnv,
  routerShards,
  toEnvList,
} from '../src/env.ts';
import { InvalidArgsError, failOnProblems } from '../src/errors.ts';
import { publicMembers, pubsubServiceAgent, roles, workqueueGrants } from '../src/iam.ts';
import { defaultImage, serveArgs } from '../src/images.ts';
import { resourceLabels } from '../src/labels.ts';
import {
  checkMetricsSidecar,
  customScrapeTarget,
  defaultScrapeTarget,
  runMonitoringYaml,
} from '../src/metrics-sidecar.ts';
import {
  accountId,
  bucketPrefix,
  fnv1a32,
  regionShort,
  runMonitoringSecretId,
  shardQueueName,
  topicName,
  workqueueNames,
} from '../src/names.ts';
import { checkCloudEventFilters, cloudEventFilterExpression } from '../src/pubsub-filter.ts';
import { vpcAccessOf } from '../src/vpc.ts';

describe('names', () => {
  it('derives service, job and schedule names from the base name', () => {
    expect(workqueueNames('orders')).toEqual({
      receiver: 'orders-rcv',
      dispatcher: 'orders-dsp',
      reenqueue: 'orders-reenqueue',
      dispatchSchedule: 'orders-dispatch',
    });
    expect(shardQueueName('orders', 0, 1)).toBe('orders-wq');
    expect(shardQueueName('orders', 2, 3)).toBe('orders-wq-2');
  });

  it('shortens regions distinctly', () => {
    expect(regionShort('us-central1')).toBe('usc1');
    expect(regionShort('europe-west4')).toBe('euw4');
    expect(regionShort('asia-south1')).toBe('ass1');
    expect(regionShort('asia-southeast1')).toBe('asse1');
    expect(regionShort('northamerica-northeast2')).toBe('none2');
    expect(bucketPrefix('q')).toBe('q');
    expect(bucketPrefix('q', 'us-east4')).toBe('q-use4');
    expect(topicName('q', 'us-east4')).toBe('q-use4-queued');
  });

  it('makes valid, stable service account ids', () => {
    const valid = /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/;
    expect(accountId('orders', 'rcv')).toBe('orders-rcv');
    expect(accountId('ab', 'rc')).toBe('ab-rc-sa');
    const long = accountId('a-very-long-reconciler-name-wq-3', 'dsp');
    expect(long).toMatch(valid);
    expect(long.length).toBeLessThanOrEqual(30);
    expect(long.endsWith('-dsp')).toBe(true);
    expect(accountId('a-very-long-reconciler-name-wq-3', 'dsp')).toBe(long);
    expect(accountId('a-very-long-reconciler-name-wq-4', 'dsp')).not.toBe(long);
  });

  it('hashes with 32-bit FNV-1a', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });
});

describe('env (spec 03 names)', () => {
  it('builds receiver, dispatcher and re-enqueue environments', () => {
    expect(receiverEnv({ bucket: 'b' })).toEqual({
      WORKQUEUE_MODE: 'gcs',
      WORKQUEUE_BUCKET: 'b',
      HEALTH_PORT: '9090',
    });
    expect(
      dispatcherEnv({
        bucket: 'b',
        target: 'https://r',
        concurrentWork: 20,
        batchSize: 10,
        maxRetry: 0,
        timeoutSeconds: 300,
      }),
    ).toEqual({
      NODE_OPTIONS: '--max-semi-space-size=8',
      WORKQUEUE_MODE: 'gcs',
      WORKQUEUE_BUCKET: 'b',
      WORKQUEUE_CONCURRENCY: '20',
      WORKQUEUE_BATCH_SIZE: '10',
      WORKQUEUE_MAX_RETRY: '0',
      WORKQUEUE_TARGET: 'https://r',
      WORKQUEUE_TIMEOUT: '300s',
    });
    expect(reenqueueEnv({ bucket: 'b', concurrentWork: 3 })).toEqual({
      WORKQUEUE_MODE: 'gcs',
      WORKQUEUE_BUCKET: 'b',
      WORKQUEUE_CONCURRENCY: '3',
    });
    expect(routerShards(['https://a', 'https://b'])).toBe('https://a,https://b');
    expect(toEnvList({ A: '1', B: '2' })).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: '2' },
    ]);
    expect(envByRegion(['r1', 'r2'], (r) => ({ X: `x-${r}`, Y: 'y' }))).toEqual({
      X: { r1: 'x-r1', r2: 'x-r2' },
      Y: { r1: 'y', r2: 'y' },
    });
  });

  it('runs every service as `recon serve <role>`', () => {
    expect(serveArgs('dispatcher')).toEqual(['serve', 'dispatcher']);
    expect(defaultImage('receiver')).toBe('ghcr.io/recon-dev/receiver:latest');
  });
});

describe('metrics sidecar', () => {
  it("needs a RunMonitoring file only for a target other than the sidecar's default", () => {
    expect(defaultScrapeTarget).toEqual({ port: 8080, path: '/metrics', intervalSeconds: 60 });
    expect(customScrapeTarget({})).toBeUndefined();
    expect(customScrapeTarget({ image: 'i', port: 8080, path: '/metrics' })).toBeUndefined();
    expect(customScrapeTarget({ port: 9090 })).toEqual({
      port: 9090,
      path: '/metrics',
      intervalSeconds: 60,
    });
    expect(customScrapeTarget({ path: '/prom' })).toEqual({
      port: 8080,
      path: '/prom',
      intervalSeconds: 60,
    });
    // An explicit interval is written even when it equals the default.
    expect(customScrapeTarget({ intervalSeconds: 60 })).toEqual(defaultScrapeTarget);
  });

  it('writes the RunMonitoring file', () => {
    expect(runMonitoringYaml('q-rcv', { port: 9090, path: '/metrics', intervalSeconds: 30 })).toBe(
      [
        'apiVersion: monitoring.googleapis.com/v1beta',
        'kind: RunMonitoring',
        'metadata:',
        '  name: q-rcv',
        'spec:',
        '  endpoints:',
        '  - port: 9090',
        '    path: /metrics',
        '    interval: 30s',
        '',
      ].join('\n'),
    );
  });

  it('keeps the secret id within Secret Manager rules', () => {
    const id = runMonitoringSecretId('a'.repeat(49));
    expect(id).toBe(`${'a'.repeat(49)}-rungmp`);
    expect(id).toMatch(/^[A-Za-z0-9_-]{1,255}$/);
  });

  it('checks port, path and interval, naming the field', () => {
    expect(checkMetricsSidecar('metricsSidecar', undefined)).toEqual([]);
    expect(checkMetricsSidecar('metricsSidecar', false)).toEqual([]);
    expect(checkMetricsSidecar('metricsSidecar', { port: 9090, intervalSeconds: 5 })).toEqual([]);
    expect(checkMetricsSidecar('metricsSidecar', { path: '/a/b-c_d.e' })).toEqual([]);
    expect(
      checkMetricsSidecar('metricsSidecar', { port: 0, path: 'metrics', intervalSeconds: 4 }),
    ).toEqual([
      { field: 'metricsSidecar.port', message: '0 is outside 1–65535' },
      { field: 'metricsSidecar.intervalSeconds', message: '4 is outside at least 5' },
      {
        field: 'metricsSidecar.path',
        message: '"metrics" is not an absolute URL path (like "/metrics")',
      },
    ]);
    expect(
      checkMetricsSidecar('metricsSidecar', { port: 65536, intervalSeconds: 7.5 }).map(
        (p) => p.field,
      ),
    ).toEqual(['metricsSidecar.port', 'metricsSidecar.intervalSeconds']);
    expect(
      checkMetricsSidecar('metricsSidecar', { path: '/metrics # x' }).map((p) => p.field),
    ).toEqual(['metricsSidecar.path']);
    expect(checkMetricsSidecar('metricsSidecar', 'on').map((p) => p.field)).toEqual([
      'metricsSidecar',
    ]);
  });
});

describe('IAM sets', () => {
  it('grants object access on the bucket and invoker where spec 06 says', () => {
    const describe = (g: { principal: string; role: string; on: string }) =>
      `${g.principal} ${g.role} ${g.on}`;
    expect(workqueueGrants({ reconcilerService: true }).map(describe)).toEqual([
      'receiver roles/storage.objectUser bucket',
      'dispatcher roles/storage.objectUser bucket',
      'reenqueue roles/storage.objectUser bucket',
      'storageServiceAgent roles/pubsub.publisher topic',
      'triggers roles/run.invoker dispatcherService',
      'dispatcher roles/run.invoker reconcilerService',
    ]);
    expect(workqueueGrants({ reconcilerService: false }).map(describe)).not.toContain(
      'dispatcher roles/run.invoker reconcilerService',
    );
  });

  it('never uses a broad or public role', () => {
    for (const role of Object.values(roles)) {
      expect(role).not.toMatch(/admin|owner|editor/i);
    }
    expect(publicMembers).toEqual(['allUsers', 'allAuthenticatedUsers']);
    expect(pubsubServiceAgent('42')).toBe(
      'serviceAccount:service-42@gcp-sa-pubsub.iam.gserviceaccount.com',
    );
  });
});

describe('CloudEvents filters', () => {
  it('builds Pub/Sub filter expressions over ce- attributes, escaping values', () => {
    expect(cloudEventFilterExpression({ type: 'dev.chainguard.github.pull_request' })).toBe(
      'attributes.ce-type = "dev.chainguard.github.pull_request"',
    );
    expect(cloudEventFilterExpression({ type: 'a', source: 'say "hi"\\' })).toBe(
      'attributes.ce-type = "a" AND attributes.ce-source = "say \\"hi\\"\\\\"',
    );
  });

  it('rejects empty, malformed and oversized filters', () => {
    expect(checkCloudEventFilters([])).toEqual([
      { field: 'filters', message: 'at least one filter (attribute → exact value) is required' },
    ]);
    expect(checkCloudEventFilters([{}])).toEqual([
      { field: 'filters[0]', message: 'must map at least one attribute to a value' },
    ]);
    expect(checkCloudEventFilters([{ 'Bad-Name': 'x' }])[0]!.field).toBe('filters[0].Bad-Name');
    expect(checkCloudEventFilters([{ type: 'x'.repeat(300) }])[0]!.message).toMatch(
      /Pub\/Sub allows 256/,
    );
  });
});

describe('labels', () => {
  it('labels every resource with component, name, team and product', () => {
    expect(resourceLabels({ component: 'workqueue', name: 'q', team: 'Core Team' })).toEqual({
      'managed-by': 'recon',
      'recon-component': 'workqueue',
      'recon-name': 'q',
      product: 'unknown',
      team: 'core-team',
    });
    expect(
      resourceLabels({ component: 'c', name: 'n', labels: { product: 'x', env: 'prod' } }),
    ).toMatchObject({
      product: 'x',
      env: 'prod',
    });
  });
});

describe('InvalidArgsError', () => {
  it('lists every problem, is matched by brand, and is not thrown without problems', () => {
    expect(() => failOnProblems('recon:gcp:X', 'x', [])).not.toThrow();
    let caught: unknown;
    try {
      failOnProblems('recon:gcp:X', 'x', [
        { field: 'a', message: 'bad' },
        { field: 'b', message: 'worse' },
      ]);
    } catch (err) {
      caught = err;
    }
    expect(InvalidArgsError.is(caught)).toBe(true);
    expect(InvalidArgsError.is(new Error('x'))).toBe(false);
    const err = caught as InvalidArgsError;
    expect(err.message).toBe('recon:gcp:X "x": invalid arguments:\n  - a: bad\n  - b: worse');
    expect(err.problems.map((p) => p.field)).toEqual(['a', 'b']);
    expect(err.code).toBe('INFRA_INVALID_ARGS');
  });
});

describe('VPC egress', () => {
  it('routes through the region network only when it has one', () => {
    expect(vpcAccessOf({}, 'ALL_TRAFFIC')).toEqual({});
    expect(vpcAccessOf({ network: 'default' }, 'PRIVATE_RANGES_ONLY')).toEqual({
      vpcAccess: { egress: 'PRIVATE_RANGES_ONLY', networkInterfaces: [{ network: 'default' }] },
    });
  });
});
