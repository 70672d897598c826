import { beforeAll, describe, expect, it } from 'vitest';
import { envOf, installMocks, resolve, secretValue, testProject, types } from './pulumi-mocks.ts';
import type { Recorder } from './pulumi-mocks.ts';
import type * as pulumi from '@pulumi/pulumi';
import type * as Lib from '../src/index.ts';

let mocks: Recorder;
let lib: typeof Lib;

beforeAll(async () => {
  mocks = await installMocks();
  lib = await import('../src/index.ts');
});

describe('RegionalService', () => {
  let svc: InstanceType<typeof lib.RegionalService>;
  beforeAll(async () => {
    svc = new lib.RegionalService('api', {
      project: testProject,
      regions: { 'us-central1': { subnet: 'sub-us' }, 'asia-east1': {} },
      serviceAccount: 'api@p.iam.gserviceaccount.com',
      container: {
        image: 'example.com/api@sha256:abc',
        args: ['serve'],
        env: { SHARED: '1' },
        regionalEnv: { NEAR: { 'us-central1': 'us', 'asia-east1': 'asia' } },
        secretEnv: { TOKEN: { secret: 'gh-token' } },
        resources: { cpu: '2', memory: '1Gi' },
      },
      cpuIdle: { 'asia-east1': false },
      labels: { team: 'x' },
    });
    await mocks.settle();
  });

  it('deploys one Cloud Run v2 service per region under one name', () => {
    const services = mocks.of(types.service, 'api-');
    expect(services.map((s) => s.inputs['location']).sort()).toEqual(['asia-east1', 'us-central1']);
    for (const s of services) {
      expect(s.inputs).toMatchObject({
        name: 'api',
        ingress: 'INGRESS_TRAFFIC_INTERNAL_ONLY',
        deletionProtection: true,
        labels: { team: 'x' },
      });
      expect(s.inputs['template']).toMatchObject({
        serviceAccount: 'api@p.iam.gserviceaccount.com',
        executionEnvironment: 'EXECUTION_ENVIRONMENT_GEN2',
        timeout: '300s',
        maxInstanceRequestConcurrency: 1000,
        scaling: { minInstanceCount: 0, maxInstanceCount: 100 },
      });
    }
  });

  it('runs the app on h2c:8080 beside the Managed Prometheus sidecar', () => {
    const us = mocks.of(types.service, 'api-us-central1')[0]!;
    const [app, sidecar] = us.inputs['template'].containers;
    expect(app).toMatchObject({
      name: 'app',
      image: 'example.com/api@sha256:abc',
      args: ['serve'],
      ports: { name: 'h2c', containerPort: 8080 },
      resources: { cpuIdle: true, startupCpuBoost: true, limits: { cpu: '2', memory: '1Gi' } },
    });
    expect(sidecar).toEqual({ name: 'metrics', image: lib.gmpSidecarImage });
    expect(sidecar.ports).toBeUndefined();
    expect(envOf(app)).toEqual({ SHARED: '1', NEAR: 'us', TOKEN: undefined });
    expect(app.envs.find((e: { name: string }) => e.name === 'TOKEN').valueSource).toEqual({
      secretKeyRef: { secret: 'gh-token', version: 'latest' },
    });
    const asia = mocks.of(types.service, 'api-asia-east1')[0]!;
    expect(envOf(asia.inputs['template'].containers[0]).NEAR).toBe('asia');
    expect(asia.inputs['template'].containers[0].resources.cpuIdle).toBe(false);
  });

  it('egresses through the region VPC where one is given', () => {
    const us = mocks.of(types.service, 'api-us-central1')[0]!;
    expect(us.inputs['template'].vpcAccess).toEqual({
      egress: 'ALL_TRAFFIC',
      networkInterfaces: [{ subnetwork: 'sub-us' }],
    });
    const asia = mocks.of(types.service, 'api-asia-east1')[0]!;
    expect(asia.inputs['template'].vpcAccess).toBeUndefined();
  });

  it('outputs names and URIs per region', async () => {
    expect(await resolve(svc.names['asia-east1']!)).toBe('api');
    expect(await resolve(svc.uris['us-central1']!)).toBe('https://api-us-central1.run.app');
    expect(await resolve(svc.serviceName)).toBe('api');
  });

  it('can drop the sidecar and take other settings', async () => {
    new lib.RegionalService('bare', {
      name: 'bare-svc',
      project: testProject,
      regions: { 'us-east1': {} },
      serviceAccount: 'sa@p',
      container: { image: 'i', port: 9000 },
      metricsSidecar: false,
      ingress: 'INGRESS_TRAFFIC_ALL',
      minInstances: 1,
      maxInstances: 3,
      concurrency: 10,
      timeoutSeconds: 60,
      deletionProtection: false,
    });
    await mocks.settle();
    const s = mocks.of(types.service, 'bare-')[0]!.inputs;
    expect(s['name']).toBe('bare-svc');
    expect(s['ingress']).toBe('INGRESS_TRAFFIC_ALL');
    expect(s['template'].containers).toHaveLength(1);
    expect(s['template'].containers[0].ports).toEqual({ name: 'h2c', containerPort: 9000 });
    expect(s['template']).toMatchObject({
      timeout: '60s',
      maxInstanceRequestConcurrency: 10,
      scaling: { minInstanceCount: 1, maxInstanceCount: 3 },
    });
  });

  it('rejects bad arguments, naming each field', () => {
    let caught: unknown;
    try {
      new lib.RegionalService('Bad', {
        project: testProject,
        regions: { 'us-east1': {} },
        serviceAccount: 'sa',
        container: { image: 'i', regionalEnv: { X: { 'us-west1': 'a' } } },
        ingress: 'public' as never,
        timeoutSeconds: 7200,
        cpuIdle: { 'eu-west1': true },
      });
    } catch (err) {
      caught = err;
    }
    expect(lib.InvalidArgsError.is(caught)).toBe(true);
    expect(
      (caught as InstanceType<typeof lib.InvalidArgsError>).problems.map((p) => p.field),
    ).toEqual(['name', 'ingress', 'timeoutSeconds', 'cpuIdle.eu-west1', 'container.regionalEnv.X']);
    expect(
      () =>
        new lib.RegionalService('x', {
          project: testProject,
          regions: {},
          serviceAccount: 'sa',
          container: { image: 'i' },
        }),
    ).toThrow(/regions: at least one region is required/);
  });
});

describe('RegionalService metrics sidecar target', () => {
  // Resource options as the component passed them, recorded by a transformation that every child
  // inherits: the mocks see inputs, not dependencies.
  const seen = new Map<string, { resource: pulumi.Resource; opts: pulumi.ResourceOptions }>();
  beforeAll(async () => {
    new lib.RegionalService(
      'grpc',
      {
        name: 'grpc-svc',
        project: testProject,
        regions: { 'us-central1': {}, 'asia-east1': {} },
        serviceAccount: 'grpc@p.iam.gserviceaccount.com',
        container: { image: 'i' },
        metricsSidecar: { port: 9464, path: '/prom', intervalSeconds: 15 },
        labels: { team: 'x' },
      },
      {
        transformations: [
          ({ name, resource, opts }) => {
            seen.set(name, { resource, opts });
            return undefined;
          },
        ],
      },
    );
    new lib.RegionalService('img', {
      project: testProject,
      regions: { 'us-east1': {} },
      serviceAccount: 'img@p',
      container: { image: 'i' },
      metricsSidecar: { image: 'example.com/gmp:2', port: 8080, path: '/metrics' },
    });
    await mocks.settle();
  });

  it('writes the target to one Secret Manager secret, readable by its own account only', () => {
    const secrets = mocks.of(types.secret, 'grpc-');
    expect(secrets.map((x) => x.inputs)).toEqual([
      {
        project: testProject,
        secretId: 'grpc-svc-rungmp',
        replication: { auto: {} },
        labels: { team: 'x' },
      },
    ]);
    const versions = mocks.of(types.secretVersion, 'grpc-');
    expect(versions.map((v) => secretValue(v.inputs['secretData']).value)).toEqual([
      lib.runMonitoringYaml('grpc-svc', { port: 9464, path: '/prom', intervalSeconds: 15 }),
    ]);
    expect(secretValue(versions[0]!.inputs['secretData']).value).toContain('interval: 15s');
    expect(mocks.of(types.secretIam, 'grpc-').map((g) => g.inputs)).toEqual([
      {
        project: testProject,
        secretId: 'grpc-svc-rungmp',
        role: 'roles/secretmanager.secretAccessor',
        member: 'serviceAccount:grpc@p.iam.gserviceaccount.com',
      },
    ]);
  });

  it('mounts it into the sidecar at /etc/rungmp/config.yaml in every region', () => {
    const services = mocks.of(types.service, 'grpc-');
    expect(services).toHaveLength(2);
    for (const s of services) {
      const [app, sidecar] = s.inputs['template'].containers;
      expect(app.volumeMounts).toBeUndefined();
      expect(sidecar).toEqual({
        name: 'metrics',
        image: lib.gmpSidecarImage,
        volumeMounts: [{ name: 'rungmp-config', mountPath: '/etc/rungmp' }],
      });
      expect(s.inputs['template'].volumes).toEqual([
        {
          name: 'rungmp-config',
          secret: {
            secret: 'grpc-svc-rungmp',
            items: [{ version: 'latest', path: 'config.yaml' }],
          },
        },
      ]);
    }
  });

  it('makes every regional service wait for the file and the grant', () => {
    const reader = seen.get('grpc-rungmp-reader')?.resource;
    const version = seen.get('grpc-rungmp-config')?.resource;
    expect(reader).toBeDefined();
    expect(version).toBeDefined();
    for (const region of ['us-central1', 'asia-east1']) {
      const dependsOn = seen.get(`grpc-${region}`)?.opts.dependsOn;
      expect(dependsOn).toEqual(expect.arrayContaining([reader, version]));
    }
  });

  it('keeps the default target without a file: { image } only swaps the image', () => {
    const s = mocks.of(types.service, 'img-')[0]!.inputs;
    expect(s['template'].containers[1]).toEqual({ name: 'metrics', image: 'example.com/gmp:2' });
    expect(s['template'].volumes).toBeUndefined();
    expect(mocks.of(types.secret, 'img-')).toHaveLength(0);
    expect(mocks.of(types.secretIam, 'img-')).toHaveLength(0);
    expect(mocks.of(types.secret, 'api-')).toHaveLength(0);
    expect(mocks.of(types.secret, 'bare-')).toHaveLength(0);
  });

  it('rejects a bad port, path or interval, naming the field', () => {
    let caught: unknown;
    try {
      new lib.RegionalService('badmetrics', {
        project: testProject,
        regions: { 'us-east1': {} },
        serviceAccount: 'sa',
        container: { image: 'i' },
        metricsSidecar: { port: 70000, path: 'metrics', intervalSeconds: 1 },
      });
    } catch (err) {
      caught = err;
    }
    expect(lib.InvalidArgsError.is(caught)).toBe(true);
    expect(
      (caught as InstanceType<typeof lib.InvalidArgsError>).problems.map((p) => p.field),
    ).toEqual(['metricsSidecar.port', 'metricsSidecar.intervalSeconds', 'metricsSidecar.path']);
    expect(
      () =>
        new lib.RegionalService('badinterval', {
          project: testProject,
          regions: { 'us-east1': {} },
          serviceAccount: 'sa',
          container: { image: 'i' },
          metricsSidecar: { port: 9090, intervalSeconds: 2.5 },
        }),
    ).toThrow(/metricsSidecar\.intervalSeconds: must be an integer, got 2\.5/);
    expect(mocks.under('badmetrics')).toHaveLength(0);
    expect(mocks.under('badinterval')).toHaveLength(0);
  });
});
