import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import type { ArgProblem } from '../errors.ts';
import { failOnProblems } from '../errors.ts';
import { gmpSidecarImage } from '../images.ts';
import {
  checkMetricsSidecar,
  customScrapeTarget,
  runMonitoringDir,
  runMonitoringFile,
  runMonitoringYaml,
} from '../metrics-sidecar.ts';
import type { MetricsSidecarArgs } from '../metrics-sidecar.ts';
import { cloudRunNameMax, runMonitoringSecretId } from '../names.ts';
import { grantSecretAccessor } from '../resources/secret-access.ts';
import { egressValues, ingressValues } from '../types.ts';
import type { Egress, Ingress, Regions, ServiceOutputs } from '../types.ts';
import { vpcAccessOf } from '../vpc.ts';
import {
  checkBaseName,
  checkCoversRegions,
  checkInt,
  checkOneOf,
  checkRegionKeys,
  checkRegions,
} from '../validation.ts';

export const regionalServiceType = 'recon:gcp:RegionalService';

/** The serving container. */
export interface ContainerArgs {
  image: pulumi.Input<string>;
  /** Container args (after the image's entry point). Default: none. */
  args?: pulumi.Input<string>[];
  /** Replaces the image's entry point. Default: the image's. */
  command?: pulumi.Input<string>[];
  /** Environment, the same in every region. Default: none. */
  env?: Record<string, pulumi.Input<string>>;
  /** Environment that differs per region: NAME → region → value (every region). Default: none. */
  regionalEnv?: Record<string, Record<string, pulumi.Input<string>>>;
  /** Environment from Secret Manager: NAME → secret id (and version, default `latest`). */
  secretEnv?: Record<string, { secret: pulumi.Input<string>; version?: pulumi.Input<string> }>;
  /** CPU and memory limits. Default: Cloud Run's (1 CPU, 512 MiB); startup CPU boost on. */
  resources?: { cpu?: string; memory?: string; startupCpuBoost?: boolean };
  /** The port it serves h2c on (Cloud Run sets PORT to it). Default: 8080. */
  port?: number;
}

export interface RegionalServiceArgs {
  /** Cloud Run service name in every region. Default: the component's resource name. */
  name?: string;
  project: pulumi.Input<string>;
  /** Region → network; a service is deployed in each. */
  regions: Regions;
  /** Email of the service account the service runs as. */
  serviceAccount: pulumi.Input<string>;
  container: ContainerArgs;
  /** Default: `INGRESS_TRAFFIC_INTERNAL_ONLY`. */
  ingress?: Ingress;
  /** Traffic sent through the region's VPC (when it has a network). Default: `ALL_TRAFFIC`. */
  egress?: Egress;
  /** Default: 0. */
  minInstances?: number;
  /** Default: 100. */
  maxInstances?: number;
  /** Concurrent requests per instance. Default: 1000. */
  concurrency?: number;
  /** Request timeout in seconds (1–3600). Default: 300. */
  timeoutSeconds?: number;
  /** CPU only during requests (true) or always allocated (false); per region. Default: true. */
  cpuIdle?: boolean | Record<string, boolean>;
  /**
   * Ship the app's Prometheus endpoint to Google Managed Prometheus through a sidecar. `true`:
   * the sidecar's default target, `:8080/metrics` every 60 s. An object sets the image and/or
   * another target (port, path, interval); any target but the default is written to a
   * RunMonitoring file in Secret Manager that the sidecar reads. Default: on.
   */
  metricsSidecar?: boolean | MetricsSidecarArgs;
  labels?: Record<string, string>;
  /** Default: true. */
  deletionProtection?: boolean;
}

export function checkRegionalServiceArgs(name: string, args: RegionalServiceArgs): ArgProblem[] {
  const regions = args.regions ?? {};
  const cpuIdle = typeof args.cpuIdle === 'object' ? args.cpuIdle : undefined;
  return [
    ...checkBaseName('name', args.name ?? name, cloudRunNameMax),
    ...checkRegions(regions, undefined),
    ...(args.container?.image === undefined
      ? [{ field: 'container.image', message: 'is required' }]
      : []),
    ...checkOneOf('ingress', args.ingress, ingressValues),
    ...checkOneOf('egress', args.egress, egressValues),
    ...checkInt('minInstances', args.minInstances, { min: 0, max: 1000 }),
    ...checkInt('maxInstances', args.maxInstances, { min: 1, max: 1000 }),
    ...checkInt('concurrency', args.concurrency, { min: 1, max: 1000 }),
    ...checkInt('timeoutSeconds', args.timeoutSeconds, { min: 1, max: 3600 }),
    ...checkInt('container.port', args.container?.port, { min: 1, max: 65535 }),
    ...checkRegionKeys('cpuIdle', cpuIdle, regions),
    ...checkMetricsSidecar('metricsSidecar', args.metricsSidecar),
    ...Object.entries(args.container?.regionalEnv ?? {}).flatMap(([env, byRegion]) =>
      checkCoversRegions(`container.regionalEnv.${env}`, byRegion, regions),
    ),
  ];
}

/**
 * A Cloud Run (v2) service under one name in every region: the serving container (h2c), a
 * metrics sidecar that ships its Prometheus endpoint to Google Managed Prometheus, the service
 * account, scaling, ingress, Direct VPC egress, request timeout, gen2 execution environment.
 * The sidecar scrapes `:8080/metrics` by default; for another target the component writes a
 * RunMonitoring file to a Secret Manager secret `<name>-rungmp` (one for all regions), lets the
 * service account read that secret only, and mounts it at `/etc/rungmp/config.yaml`.
 */
export class RegionalService extends pulumi.ComponentResource {
  /** Region → Cloud Run service. */
  readonly services: Record<string, gcp.cloudrunv2.Service>;
  /** Region → service name. */
  readonly names: Record<string, pulumi.Output<string>>;
  /** Region → `https://…run.app` URL. */
  readonly uris: Record<string, pulumi.Output<string>>;
  /** The service name, known once the service exists in every region. */
  readonly serviceName: pulumi.Output<string>;

  constructor(name: string, args: RegionalServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    failOnProblems(regionalServiceType, name, checkRegionalServiceArgs(name, args));
    super(regionalServiceType, name, {}, opts);

    const serviceName = args.name ?? name;
    const port = args.container.port ?? 8080;
    const sidecar = args.metricsSidecar ?? true;
    const sidecarArgs: MetricsSidecarArgs = typeof sidecar === 'object' ? sidecar : {};
    const sidecarImage = sidecarArgs.image ?? gmpSidecarImage;
    const scrapeTarget = sidecar === false ? undefined : customScrapeTarget(sidecarArgs);

    // A custom scrape target: the RunMonitoring file in Secret Manager (global, so once), which
    // only this service's account may read. Every revision waits for the file and the grant.
    const configVolume = 'rungmp-config';
    let configSecretId: pulumi.Output<string> | undefined;
    const serviceDependsOn: pulumi.Resource[] = [];
    if (scrapeTarget !== undefined) {
      const secret = new gcp.secretmanager.Secret(
        `${name}-rungmp`,
        {
          project: args.project,
          secretId: runMonitoringSecretId(serviceName),
          replication: { auto: {} },
          labels: args.labels ?? {},
        },
        { parent: this },
      );
      const version = new gcp.secretmanager.SecretVersion(
        `${name}-rungmp-config`,
        { secret: secret.id, secretData: runMonitoringYaml(serviceName, scrapeTarget) },
        { parent: this },
      );
      const reader = grantSecretAccessor(this, `${name}-rungmp-reader`, {
        project: args.project,
        secretId: secret.secretId,
        member: pulumi.interpolate`serviceAccount:${args.serviceAccount}`,
      });
      configSecretId = secret.secretId;
      serviceDependsOn.push(reader, version);
    }

    this.services = {};
    this.names = {};
    this.uris = {};
    for (const [region, network] of Object.entries(args.regions)) {
      const cpuIdle =
        typeof args.cpuIdle === 'object' ? (args.cpuIdle[region] ?? true) : (args.cpuIdle ?? true);
      const envs = [
        ...Object.entries(args.container.env ?? {}).map(([envName, value]) => ({
          name: envName,
          value,
        })),
        ...Object.entries(args.container.regionalEnv ?? {}).map(([envName, byRegion]) => ({
          name: envName,
          value: byRegion[region] ?? '',
        })),
        ...Object.entries(args.container.secretEnv ?? {}).map(([envName, ref]) => ({
          name: envName,
          valueSource: { secretKeyRef: { secret: ref.secret, version: ref.version ?? 'latest' } },
        })),
      ];
      const limits: Record<string, string> = {};
      if (args.container.resources?.cpu !== undefined) limits['cpu'] = args.container.resources.cpu;
      if (args.container.resources?.memory !== undefined) {
        limits['memory'] = args.container.resources.memory;
      }
      const containers: gcp.types.input.cloudrunv2.ServiceTemplateContainer[] = [
        {
          name: 'app',
          image: args.container.image,
          ...(args.container.args === undefined ? {} : { args: args.container.args }),
          ...(args.container.command === undefined ? {} : { commands: args.container.command }),
          envs,
          ports: { name: 'h2c', containerPort: port },
          resources: {
            cpuIdle,
            startupCpuBoost: args.container.resources?.startupCpuBoost ?? true,
            ...(Object.keys(limits).length === 0 ? {} : { limits }),
          },
        },
      ];
      if (sidecar !== false) {
        containers.push({
          name: 'metrics',
          image: sidecarImage,
          ...(configSecretId === undefined
            ? {}
            : { volumeMounts: [{ name: configVolume, mountPath: runMonitoringDir }] }),
        });
      }

      const service = new gcp.cloudrunv2.Service(
        `${name}-${region}`,
        {
          project: args.project,
          location: region,
          name: serviceName,
          ingress: args.ingress ?? 'INGRESS_TRAFFIC_INTERNAL_ONLY',
          deletionProtection: args.deletionProtection ?? true,
          labels: args.labels ?? {},
          template: {
            serviceAccount: args.serviceAccount,
            executionEnvironment: 'EXECUTION_ENVIRONMENT_GEN2',
            timeout: `${args.timeoutSeconds ?? 300}s`,
            maxInstanceRequestConcurrency: args.concurrency ?? 1000,
            scaling: {
              minInstanceCount: args.minInstances ?? 0,
              maxInstanceCount: args.maxInstances ?? 100,
            },
            containers,
            ...(configSecretId === undefined
              ? {}
              : {
                  volumes: [
                    {
                      name: configVolume,
                      secret: {
                        secret: configSecretId,
                        items: [{ version: 'latest', path: runMonitoringFile }],
                      },
                    },
                  ],
                }),
            ...vpcAccessOf(network, args.egress ?? 'ALL_TRAFFIC'),
          },
        },
        { parent: this, dependsOn: serviceDependsOn },
      );
      this.services[region] = service;
      this.names[region] = service.name;
      this.uris[region] = service.uri;
    }
    this.serviceName = pulumi
      .all(Object.values(this.names))
      .apply((names) => names[0] ?? serviceName);

    this.registerOutputs({ names: this.names, uris: this.uris, serviceName: this.serviceName });
  }

  /** Name and per-region URLs, for callers (env) and invoker grants. */
  get ref(): ServiceOutputs {
    return { name: this.serviceName, uris: this.uris };
  }
}
