import * as pulumi from '@pulumi/pulumi';
import { envByRegion, routerShards } from '../env.ts';
import type { ArgProblem } from '../errors.ts';
import { failOnProblems } from '../errors.ts';
import { defaultImage, serveArgs } from '../images.ts';
import type { WorkqueueImages } from '../images.ts';
import { resourceLabels } from '../labels.ts';
import {
  accountId,
  reconcilerServiceName,
  routerServiceName,
  shardQueueName,
  workqueueNameMax,
} from '../names.ts';
import { grantInvoker } from '../resources/invoker.ts';
import { createServiceAccount } from '../resources/service-account.ts';
import { ingressValues, multiRegions, scopes } from '../types.ts';
import type { CommonArgs, Ingress, MultiRegion, Scope, ServiceOutputs } from '../types.ts';
import {
  checkBaseName,
  checkInt,
  checkOneOf,
  checkRegionKeys,
  checkRegions,
  checkShards,
} from '../validation.ts';
import { ReconcilerDashboard } from './reconciler-dashboard.ts';
import { checkRegionalServiceArgs, RegionalService } from './regional-service.ts';
import type { ContainerArgs } from './regional-service.ts';
import { Workqueue } from './workqueue.ts';

export const regionalReconcilerType = 'recon:gcp:RegionalReconciler';

export interface RegionalReconcilerArgs extends CommonArgs {
  /** Base of every name (`<name>-rec`, `<name>-wq`, …). Default: the resource name. */
  name?: string;
  /** Your reconciler's container: image (required), args, env, secrets, resources. */
  reconciler: ContainerArgs;
  /** Email of the account the reconciler runs as. Default: a new `<name>-rec` account. */
  serviceAccount?: pulumi.Input<string>;
  /** Reconciler scaling. Default: 0–100 instances, 1000 concurrent requests each. */
  scaling?: { minInstances?: number; maxInstances?: number; concurrency?: number };
  /** Reconciler request timeout, seconds; also the dispatcher's per-call deadline. Default: 300. */
  timeoutSeconds?: number;
  /** In-flight reconciles per dispatcher (per shard). Default: 20. */
  concurrentWork?: number;
  /** Default: ceil(concurrentWork / number of regions). */
  batchSize?: number;
  /** Attempts before dead-lettering; 0 = unlimited. Default: 100. */
  maxRetry?: number;
  /**
   * Queues (1–5). More than one builds `<name>-wq-<i>` (i from 0) behind a router `<name>-rtr`
   * that sends a key to shard FNV-1a-32(key) mod N, so a key always lands on one shard.
   * Default: 1.
   */
  shards?: number;
  /** Default: `global`. */
  scope?: Scope;
  /** Default: `US`. */
  location?: MultiRegion;
  /** Ingress of the queue's entry (receiver, or router when sharded). Default: internal only. */
  receiverIngress?: Ingress;
  /** Default: true. */
  enableDeadLetterAlerting?: boolean;
  /** CPU only during requests, per service and region. Defaults as in Workqueue; reconciler true. */
  cpuIdle?: {
    reconciler?: Record<string, boolean>;
    receiver?: Record<string, boolean>;
    dispatcher?: Record<string, boolean>;
  };
  /** Images of recon's services. Default: `defaultImage(<role>)`. */
  images?: WorkqueueImages & { router?: pulumi.Input<string> };
  /** Create the ReconcilerDashboard. Default: true. */
  dashboard?: boolean;
}

export function checkRegionalReconcilerArgs(
  name: string,
  args: RegionalReconcilerArgs,
): ArgProblem[] {
  const base = args.name ?? name;
  const shards = args.shards ?? 1;
  const regions = args.regions ?? {};
  // The longest derived name is the queue's: `<name>-wq[-i]`, then `-reenqueue`.
  const maxBase =
    workqueueNameMax - shardQueueName('', 0, typeof shards === 'number' ? shards : 1).length;
  const problems: ArgProblem[] = [
    ...checkBaseName('name', base, maxBase),
    ...checkRegions(regions, args.primaryRegion),
    ...checkShards(args.shards),
    ...checkInt('concurrentWork', args.concurrentWork, { min: 1 }),
    ...checkInt('batchSize', args.batchSize, { min: 1 }),
    ...checkInt('maxRetry', args.maxRetry, { min: 0 }),
    ...checkOneOf('scope', args.scope, scopes),
    ...checkOneOf('location', args.location, multiRegions),
    ...checkOneOf('receiverIngress', args.receiverIngress, ingressValues),
    ...checkRegionKeys('cpuIdle.reconciler', args.cpuIdle?.reconciler, regions),
  ];
  if (args.reconciler === undefined) {
    problems.push({ field: 'reconciler', message: 'is required (at least its image)' });
  } else if (Object.keys(regions).length > 0) {
    // The reconciler service's own checks, with its fields under `reconciler.` / `scaling.`.
    const service = checkRegionalServiceArgs(reconcilerServiceName(base), {
      project: args.project,
      regions,
      serviceAccount: '',
      container: args.reconciler,
      ...(args.timeoutSeconds === undefined ? {} : { timeoutSeconds: args.timeoutSeconds }),
      ...(args.scaling?.minInstances === undefined
        ? {}
        : { minInstances: args.scaling.minInstances }),
      ...(args.scaling?.maxInstances === undefined
        ? {}
        : { maxInstances: args.scaling.maxInstances }),
      ...(args.scaling?.concurrency === undefined ? {} : { concurrency: args.scaling.concurrency }),
    }).filter((p) => p.field !== 'name' && !p.field.startsWith('regions'));
    problems.push(
      ...service.map((p) => ({
        field: p.field.startsWith('container')
          ? p.field.replace(/^container/, 'reconciler')
          : ['minInstances', 'maxInstances', 'concurrency'].includes(p.field)
            ? `scaling.${p.field}`
            : p.field,
        message: p.message,
      })),
    );
  }
  return problems;
}

/**
 * A reconciler on Cloud Run in every region, fed by its own workqueue (the
 * `regional-go-reconciler` of the original platform): `<name>-rec` (internal ingress, 300 s
 * timeout) + Workqueue `<name>-wq` whose dispatcher in each region calls the reconciler of that
 * region; optionally sharded behind a router; with its dashboard.
 */
export class RegionalReconciler extends pulumi.ComponentResource {
  /** Where keys are enqueued: the queue's receiver, or the router when sharded. */
  readonly receiver: ServiceOutputs;
  /** Region → URL of the reconciler service. */
  readonly reconcilerUris: Record<string, pulumi.Output<string>>;
  /** The notification topics of the queue(s): one per shard (per region in `regional` scope). */
  readonly topic: pulumi.Output<string[]>;
  /** Ids of the dashboards created (none when `dashboard: false`). */
  readonly dashboards: pulumi.Output<string[]>;
  readonly maxRetry: number;
  readonly concurrentWork: number;
  readonly scope: Scope;
  readonly shards: number;
  /** The queues, shard order. */
  readonly workqueues: Workqueue[];
  readonly reconcilerService: RegionalService;
  /** Email of the account the reconciler runs as. */
  readonly serviceAccount: pulumi.Output<string>;

  constructor(name: string, args: RegionalReconcilerArgs, opts?: pulumi.ComponentResourceOptions) {
    failOnProblems(regionalReconcilerType, name, checkRegionalReconcilerArgs(name, args));
    super(regionalReconcilerType, name, {}, opts);

    const base = args.name ?? name;
    const project = args.project;
    const regions = Object.keys(args.regions);
    const parent = { parent: this };
    const deletionProtection = args.deletionProtection ?? true;
    this.maxRetry = args.maxRetry ?? 100;
    this.concurrentWork = args.concurrentWork ?? 20;
    this.scope = args.scope ?? 'global';
    this.shards = args.shards ?? 1;
    const common = {
      ...(args.team === undefined ? {} : { team: args.team }),
      ...(args.product === undefined ? {} : { product: args.product }),
      ...(args.labels === undefined ? {} : { labels: args.labels }),
    };
    const labels = resourceLabels({ component: 'reconciler', name: base, ...common });

    // The reconciler.
    this.serviceAccount = pulumi.output(
      args.serviceAccount ??
        createServiceAccount(this, `${name}-rec`, {
          project,
          accountId: accountId(base, 'rec'),
          displayName: `${base} reconciler`,
          description: `The identity of reconciler ${base}.`,
          metricWriter: true,
        }).email,
    );
    const timeoutSeconds = args.timeoutSeconds ?? 300;
    this.reconcilerService = new RegionalService(
      `${name}-rec`,
      {
        name: reconcilerServiceName(base),
        project,
        regions: args.regions,
        serviceAccount: this.serviceAccount,
        container: args.reconciler,
        ingress: 'INGRESS_TRAFFIC_INTERNAL_ONLY',
        timeoutSeconds,
        ...(args.scaling?.minInstances === undefined
          ? {}
          : { minInstances: args.scaling.minInstances }),
        ...(args.scaling?.maxInstances === undefined
          ? {}
          : { maxInstances: args.scaling.maxInstances }),
        ...(args.scaling?.concurrency === undefined
          ? {}
          : { concurrency: args.scaling.concurrency }),
        ...(args.cpuIdle?.reconciler === undefined ? {} : { cpuIdle: args.cpuIdle.reconciler }),
        labels,
        deletionProtection,
      },
      parent,
    );

    // Its queue(s): each region's dispatcher calls that region's reconciler.
    this.workqueues = Array.from({ length: this.shards }, (_, shard) => {
      const queue = shardQueueName(base, shard, this.shards);
      const queueName = shardQueueName(name, shard, this.shards);
      return new Workqueue(
        queueName,
        {
          name: queue,
          project,
          regions: args.regions,
          ...(args.primaryRegion === undefined ? {} : { primaryRegion: args.primaryRegion }),
          concurrentWork: this.concurrentWork,
          ...(args.batchSize === undefined ? {} : { batchSize: args.batchSize }),
          maxRetry: this.maxRetry,
          reconciler: {
            service: this.reconcilerService.serviceName,
            uris: this.reconcilerService.uris,
          },
          reconcilerTimeoutSeconds: timeoutSeconds,
          ...(args.enableDeadLetterAlerting === undefined
            ? {}
            : { enableDeadLetterAlerting: args.enableDeadLetterAlerting }),
          ...(args.notificationChannels === undefined
            ? {}
            : { notificationChannels: args.notificationChannels }),
          ...(args.location === undefined ? {} : { location: args.location }),
          cpuIdle: {
            ...(args.cpuIdle?.receiver === undefined ? {} : { receiver: args.cpuIdle.receiver }),
            ...(args.cpuIdle?.dispatcher === undefined
              ? {}
              : { dispatcher: args.cpuIdle.dispatcher }),
          },
          ...(args.receiverIngress === undefined || this.shards > 1
            ? {}
            : { receiverIngress: args.receiverIngress }),
          scope: this.scope,
          ...(args.images === undefined ? {} : { images: args.images }),
          deletionProtection,
          ...common,
        },
        parent,
      );
    });

    this.receiver =
      this.shards === 1
        ? this.workqueues[0]!.receiver
        : this.createRouter(name, base, args, labels);

    this.dashboards =
      (args.dashboard ?? true)
        ? pulumi.all([
            new ReconcilerDashboard(
              name,
              {
                project,
                name: base,
                shards: this.shards,
                concurrentWork: this.concurrentWork,
                maxRetry: this.maxRetry,
                scope: this.scope,
              },
              parent,
            ).dashboardId,
          ])
        : pulumi.output([]);

    this.reconcilerUris = this.reconcilerService.uris;
    this.topic = pulumi
      .all(this.workqueues.flatMap((wq) => regions.map((region) => wq.topic[region]!)))
      .apply((topics) => [...new Set(topics)]);
    this.registerOutputs({
      receiver: this.receiver,
      reconcilerUris: this.reconcilerUris,
      topic: this.topic,
      dashboards: this.dashboards,
      maxRetry: this.maxRetry,
      concurrentWork: this.concurrentWork,
      scope: this.scope,
      shards: this.shards,
      serviceAccount: this.serviceAccount,
    });
  }

  /** The router in front of N shards: `recon serve router`, may invoke every shard's receiver. */
  private createRouter(
    name: string,
    base: string,
    args: RegionalReconcilerArgs,
    labels: Record<string, string>,
  ): ServiceOutputs {
    const regions = Object.keys(args.regions);
    const router = createServiceAccount(this, `${name}-rtr`, {
      project: args.project,
      accountId: accountId(base, 'rtr'),
      displayName: `${base} shard router`,
      description: `The identity of the shard router of reconciler ${base}.`,
      // The router exports no Prometheus metrics (its requests show in Cloud Run's own).
      metricWriter: false,
    });
    const grants = this.workqueues.flatMap((wq, shard) =>
      grantInvoker(this, `${name}-rtr-invokes-shard-${shard}`, {
        project: args.project,
        service: wq.receiver.name,
        regions,
        member: router.member,
      }),
    );
    const service = new RegionalService(
      `${name}-rtr`,
      {
        name: routerServiceName(base),
        project: args.project,
        regions: args.regions,
        serviceAccount: router.email,
        ingress: args.receiverIngress ?? 'INGRESS_TRAFFIC_INTERNAL_ONLY',
        // Nothing to scrape: the router serves gRPC on its port and only /healthz besides.
        metricsSidecar: false,
        labels,
        deletionProtection: args.deletionProtection ?? true,
        container: {
          image: args.images?.router ?? defaultImage('router'),
          args: serveArgs('router'),
          regionalEnv: envByRegion(regions, (region) => ({
            WORKQUEUE_SHARDS: pulumi
              .all(this.workqueues.map((wq) => wq.receiver.uris[region]!))
              .apply(routerShards),
          })),
        },
      },
      { parent: this, dependsOn: grants },
    );
    return service.ref;
  }
}
