import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';
import { wantsDeadLetterAlert } from '../dashboards/dead-letter-alert.ts';
import {
  dispatcherEnv,
  envByRegion,
  receiverEnv,
  receiverMetricsPort,
  reenqueueEnv,
  toEnvList,
} from '../env.ts';
import { failOnProblems } from '../errors.ts';
import { workqueueGrants } from '../iam.ts';
import type { WorkqueuePrincipal } from '../iam.ts';
import { defaultImage, serveArgs } from '../images.ts';
import { resourceLabels } from '../labels.ts';
import { accountId, bucketPrefix, regionShort, topicName, workqueueNames } from '../names.ts';
import { grantInvoker } from '../resources/invoker.ts';
import { createJob } from '../resources/job.ts';
import { createServiceAccount } from '../resources/service-account.ts';
import type { Scope, ServiceOutputs } from '../types.ts';
import { primaryRegionOf } from '../validation.ts';
import { checkWorkqueueArgs } from '../workqueue-args.ts';
import type { WorkqueueArgs } from '../workqueue-args.ts';
import { DeadLetterAlert } from './dead-letter-alert.ts';
import { RegionalService } from './regional-service.ts';

export const workqueueType = 'recon:gcp:Workqueue';
export type { WorkqueueArgs, WorkqueueReconciler } from '../workqueue-args.ts';
export { checkWorkqueueArgs } from '../workqueue-args.ts';

/**
 * A workqueue on Google Cloud (spec 06): the bucket(s), their object notifications fanned out to
 * a dispatcher per region, receiver and dispatcher Cloud Run services, a per-minute schedule per
 * region, the re-enqueue job, a service account per role with least privilege, and the
 * dead-letter alert.
 */
export class Workqueue extends pulumi.ComponentResource {
  /** The receiver: name and region → URL. Enqueue here (gRPC over h2c). */
  readonly receiver: ServiceOutputs;
  /** The dispatcher: name and region → URL. */
  readonly dispatcher: ServiceOutputs;
  /** Region → the bucket that region's services use (the same one everywhere in `global`). */
  readonly bucket: Record<string, pulumi.Output<string>>;
  /** Region → the notification topic feeding that region's dispatcher. */
  readonly topic: Record<string, pulumi.Output<string>>;
  /** Region → name of the re-enqueue job there (primary region only in `global` scope). */
  readonly reenqueueJob: Record<string, pulumi.Output<string>>;
  /** Emails of the service accounts, by role. */
  readonly serviceAccounts: Record<
    'receiver' | 'dispatcher' | 'triggers' | 'reenqueue',
    pulumi.Output<string>
  >;
  /** Resource name of the dead-letter alert policy, when one was created. */
  readonly deadLetterAlert: pulumi.Output<string> | undefined;
  readonly scope: Scope;
  readonly concurrentWork: number;
  readonly batchSize: number;
  readonly maxRetry: number;

  constructor(name: string, args: WorkqueueArgs, opts?: pulumi.ComponentResourceOptions) {
    failOnProblems(workqueueType, name, checkWorkqueueArgs(name, args));
    super(workqueueType, name, {}, opts);

    const base = args.name ?? name;
    const names = workqueueNames(base);
    const regions = Object.keys(args.regions);
    const primary = primaryRegionOf(args.regions, args.primaryRegion);
    const scope = args.scope ?? 'global';
    const project = args.project;
    const labels = resourceLabels({
      component: 'workqueue',
      name: base,
      ...(args.team === undefined ? {} : { team: args.team }),
      ...(args.product === undefined ? {} : { product: args.product }),
      ...(args.labels === undefined ? {} : { labels: args.labels }),
    });
    const deletionProtection = args.deletionProtection ?? true;
    this.scope = scope;
    this.concurrentWork = args.concurrentWork;
    this.batchSize = args.batchSize ?? Math.ceil(args.concurrentWork / regions.length);
    this.maxRetry = args.maxRetry ?? 100;
    const parent = { parent: this };

    for (const region of regions) {
      const net = args.regions[region];
      if (net?.network === undefined && net?.subnet === undefined) {
        void pulumi.log.warn(
          `${base}: region ${region} has no network: its dispatcher cannot reach a reconciler ` +
            'with internal-only ingress (give regions.<region>.network/subnet for VPC egress)',
          this,
        );
      }
    }

    // Storage: one multi-region bucket, or one per region, each with its notification topic.
    const bucketKeys = scope === 'global' ? ['global'] : regions;
    const regionOfKey = (key: string): string | undefined => (scope === 'global' ? undefined : key);
    const keyOfRegion = (region: string): string => (scope === 'global' ? 'global' : region);
    const suffix = new random.RandomString(
      `${name}-suffix`,
      { length: 6, lower: true, upper: false, numeric: true, special: false },
      parent,
    );
    const gcsAgent = gcp.storage.getProjectServiceAccountOutput({ project }, parent);
    const gcsAgentMember = pulumi.interpolate`serviceAccount:${gcsAgent.emailAddress}`;

    const buckets: Record<string, gcp.storage.Bucket> = {};
    const topics: Record<string, gcp.pubsub.Topic> = {};
    for (const key of bucketKeys) {
      const region = regionOfKey(key);
      buckets[key] = new gcp.storage.Bucket(
        `${name}-${key}`,
        {
          project,
          name: pulumi.interpolate`${bucketPrefix(base, region)}-${suffix.result}`,
          location: region === undefined ? (args.location ?? 'US') : region.toUpperCase(),
          uniformBucketLevelAccess: true,
          publicAccessPrevention: 'enforced',
          // Queue objects are rewritten constantly; soft-deleted copies would only cost money.
          softDeletePolicy: { retentionDurationSeconds: 0 },
          forceDestroy: !deletionProtection,
          labels,
        },
        parent,
      );
      topics[key] = new gcp.pubsub.Topic(
        `${name}-${key}-queued`,
        { project, name: topicName(base, region), labels },
        parent,
      );
    }

    // Identities: one service account per role.
    const identity = (role: string, code: string, title: string, metricWriter: boolean) =>
      createServiceAccount(this, `${name}-${role}`, {
        project,
        accountId: accountId(base, code),
        displayName: `${base} ${title}`,
        description: `The identity of the ${title} of workqueue ${base}.`,
        metricWriter,
      });
    const receiverSa = identity('receiver', 'rcv', 'receiver', true);
    const dispatcherSa = identity('dispatcher', 'dsp', 'dispatcher', true);
    const triggersSa = identity('triggers', 'trg', 'triggers (schedule and push)', false);
    const reenqueueSa = identity('reenqueue', 'rnq', 're-enqueue job', false);
    const members: Record<WorkqueuePrincipal, pulumi.Output<string>> = {
      receiver: receiverSa.member,
      dispatcher: dispatcherSa.member,
      triggers: triggersSa.member,
      reenqueue: reenqueueSa.member,
      storageServiceAgent: gcsAgentMember,
    };

    const bucketName = (region: string): pulumi.Output<string> =>
      buckets[keyOfRegion(region)]!.name;

    // Receiver and dispatcher services.
    const receiver = new RegionalService(
      `${name}-rcv`,
      {
        name: names.receiver,
        project,
        regions: args.regions,
        serviceAccount: receiverSa.email,
        ingress: args.receiverIngress ?? 'INGRESS_TRAFFIC_INTERNAL_ONLY',
        cpuIdle: perRegionBool(regions, args.cpuIdle?.receiver, true),
        // gRPC on PORT; the sidecar scrapes the HTTP metrics on HEALTH_PORT instead.
        metricsSidecar: { port: receiverMetricsPort },
        labels,
        deletionProtection,
        container: {
          image: args.images?.receiver ?? defaultImage('receiver'),
          args: serveArgs('receiver'),
          regionalEnv: envByRegion(regions, (region) =>
            receiverEnv({ bucket: bucketName(region) }),
          ),
        },
      },
      parent,
    );

    const reconciler = args.reconciler;
    const targetOf = (region: string): pulumi.Input<string> =>
      reconciler.uris?.[region] ??
      gcp.cloudrunv2.getServiceOutput(
        { project, location: region, name: reconciler.service! },
        parent,
      ).uri;
    const timeoutSeconds = args.reconcilerTimeoutSeconds ?? 300;
    const dispatcher = new RegionalService(
      `${name}-dsp`,
      {
        name: names.dispatcher,
        project,
        regions: args.regions,
        serviceAccount: dispatcherSa.email,
        ingress: 'INGRESS_TRAFFIC_INTERNAL_ONLY',
        cpuIdle: perRegionBool(regions, args.cpuIdle?.dispatcher, false),
        // One dispatcher loop per region: WORKQUEUE_CONCURRENCY then bounds its reconciles.
        maxInstances: 1,
        labels,
        deletionProtection,
        container: {
          image: args.images?.dispatcher ?? defaultImage('dispatcher'),
          args: serveArgs('dispatcher'),
          regionalEnv: envByRegion(regions, (region) =>
            dispatcherEnv({
              bucket: bucketName(region),
              target: targetOf(region),
              concurrentWork: this.concurrentWork,
              batchSize: this.batchSize,
              maxRetry: this.maxRetry,
              timeoutSeconds,
            }),
          ),
        },
      },
      parent,
    );

    // IAM, from the plan in iam.ts: every grant on one resource, none on the project.
    const invokeDispatcher: pulumi.Resource[] = [];
    const publishers: pulumi.Resource[] = [];
    for (const grant of workqueueGrants({ reconcilerService: reconciler.service !== undefined })) {
      const member = members[grant.principal];
      switch (grant.on) {
        case 'bucket':
          for (const key of bucketKeys) {
            new gcp.storage.BucketIAMMember(
              `${name}-${grant.principal}-objects-${key}`,
              { bucket: buckets[key]!.name, role: grant.role, member },
              parent,
            );
          }
          break;
        case 'topic':
          for (const key of bucketKeys) {
            publishers.push(
              new gcp.pubsub.TopicIAMMember(
                `${name}-${grant.principal}-publishes-${key}`,
                { project, topic: topics[key]!.name, role: grant.role, member },
                parent,
              ),
            );
          }
          break;
        case 'dispatcherService':
          invokeDispatcher.push(
            ...grantInvoker(this, `${name}-${grant.principal}-invokes-dsp`, {
              project,
              service: dispatcher.serviceName,
              regions,
              member,
            }),
          );
          break;
        case 'reconcilerService':
          grantInvoker(this, `${name}-${grant.principal}-invokes-rec`, {
            project,
            service: reconciler.service!,
            regions,
            member,
          });
          break;
      }
    }

    // One notification per bucket: new objects under queued/ only.
    for (const key of bucketKeys) {
      new gcp.storage.Notification(
        `${name}-${key}-notification`,
        {
          bucket: buckets[key]!.name,
          topic: topics[key]!.id,
          payloadFormat: 'JSON_API_V1',
          eventTypes: ['OBJECT_FINALIZE'],
          objectNamePrefix: 'queued/',
        },
        { parent: this, dependsOn: publishers },
      );
    }

    // Triggers of each region's dispatcher: a push subscription and a per-minute schedule.
    for (const region of regions) {
      const uri = dispatcher.uris[region]!;
      const oidcToken = { serviceAccountEmail: triggersSa.email, audience: uri };
      new gcp.pubsub.Subscription(
        `${name}-push-${region}`,
        {
          project,
          name: `${names.dispatcher}-${regionShort(region)}`,
          topic: topics[keyOfRegion(region)]!.id,
          ackDeadlineSeconds: 600,
          pushConfig: { pushEndpoint: pulumi.interpolate`${uri}/`, oidcToken },
          expirationPolicy: { ttl: '' },
          labels,
        },
        { parent: this, dependsOn: invokeDispatcher },
      );
      new gcp.cloudscheduler.Job(
        `${name}-dispatch-${region}`,
        {
          project,
          region,
          name: names.dispatchSchedule,
          description: `Wakes the ${names.dispatcher} dispatcher for due and orphaned keys.`,
          schedule: '* * * * *',
          timeZone: 'Etc/UTC',
          attemptDeadline: '60s',
          httpTarget: { httpMethod: 'POST', uri: pulumi.interpolate`${uri}/`, oidcToken },
        },
        { parent: this, dependsOn: invokeDispatcher },
      );
    }

    // The re-enqueue job: run by hand (`gcloud run jobs execute <name>-reenqueue`); no schedule.
    const jobRegions = scope === 'global' ? [primary] : regions;
    this.reenqueueJob = {};
    for (const region of jobRegions) {
      const job = createJob(this, `${name}-reenqueue-${region}`, {
        project,
        region,
        name: names.reenqueue,
        serviceAccount: reenqueueSa.email,
        image: args.images?.reenqueue ?? defaultImage('reenqueue'),
        args: serveArgs('reenqueue'),
        envs: toEnvList(
          reenqueueEnv({ bucket: bucketName(region), concurrentWork: this.concurrentWork }),
        ),
        network: args.regions[region] ?? {},
        maxRetries: 0,
        timeoutSeconds: 3600,
        labels,
        deletionProtection,
      });
      this.reenqueueJob[region] = job.name;
    }

    this.deadLetterAlert = wantsDeadLetterAlert(
      this.maxRetry,
      args.enableDeadLetterAlerting ?? true,
    )
      ? new DeadLetterAlert(
          `${name}-dead-letter`,
          {
            project,
            queue: base,
            scope,
            ...(args.notificationChannels === undefined
              ? {}
              : { notificationChannels: args.notificationChannels }),
            labels,
          },
          parent,
        ).policyName
      : undefined;

    this.receiver = receiver.ref;
    this.dispatcher = dispatcher.ref;
    this.bucket = Object.fromEntries(regions.map((region) => [region, bucketName(region)]));
    this.topic = Object.fromEntries(
      regions.map((region) => [region, topics[keyOfRegion(region)]!.id]),
    );
    this.serviceAccounts = {
      receiver: receiverSa.email,
      dispatcher: dispatcherSa.email,
      triggers: triggersSa.email,
      reenqueue: reenqueueSa.email,
    };
    this.registerOutputs({
      receiver: this.receiver,
      dispatcher: this.dispatcher,
      bucket: this.bucket,
      topic: this.topic,
      reenqueueJob: this.reenqueueJob,
      serviceAccounts: this.serviceAccounts,
      deadLetterAlert: this.deadLetterAlert,
      scope,
      concurrentWork: this.concurrentWork,
      batchSize: this.batchSize,
      maxRetry: this.maxRetry,
    });
  }
}

function perRegionBool(
  regions: readonly string[],
  given: Record<string, boolean> | undefined,
  fallback: boolean,
): Record<string, boolean> {
  return Object.fromEntries(regions.map((region) => [region, given?.[region] ?? fallback]));
}
