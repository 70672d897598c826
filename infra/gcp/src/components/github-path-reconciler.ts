import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import { envByRegion, toEnvList } from '../env.ts';
import type { EnvMap } from '../env.ts';
import type { ArgProblem } from '../errors.ts';
import { failOnProblems } from '../errors.ts';
import { roles } from '../iam.ts';
import { defaultImage, serveArgs } from '../images.ts';
import { resourceLabels } from '../labels.ts';
import { accountId, regionShort } from '../names.ts';
import { checkPathPatterns } from '../path-patterns.ts';
import { cloudEventFilterExpression } from '../pubsub-filter.ts';
import { grantInvoker } from '../resources/invoker.ts';
import { createJob } from '../resources/job.ts';
import { grantSecretAccessor } from '../resources/secret-access.ts';
import { createServiceAccount } from '../resources/service-account.ts';
import {
  githubPushEventType,
  resyncSchedule,
  resyncTickMinutes,
  resyncTimeZone,
} from '../resync.ts';
import type { ServiceOutputs } from '../types.ts';
import { checkCoversRegions, checkRegionKeys, checkResyncPeriodHours } from '../validation.ts';
import { checkRegionalReconcilerArgs, RegionalReconciler } from './regional-reconciler.ts';
import type { RegionalReconcilerArgs } from './regional-reconciler.ts';
import { RegionalService } from './regional-service.ts';

export const githubPathReconcilerType = 'recon:gcp:GithubPathReconciler';

export interface GithubPathReconcilerArgs extends RegionalReconcilerArgs {
  /**
   * Regexes over repository paths (JavaScript syntax), each anchored (`^…$`) with exactly one
   * capture group: the captured part is the path in the key
   * `https://github.com/<owner>/<repo>/blob/<default branch>/<capture>`. First match wins.
   */
  pathPatterns: string[];
  /** Every matching file is enqueued once per period (1–744 h; over 24, whole days). */
  resyncPeriodHours: number;
  githubOwner: string;
  githubRepo: string;
  /**
   * Region → the broker topic carrying GitHub push events (`dev.chainguard.github.push`
   * CloudEvents). Default: none — no push listener, only the periodic resync.
   */
  broker?: Record<string, pulumi.Input<string>>;
  /**
   * Secret Manager secret (id) holding a GitHub token, exposed as `GITHUB_TOKEN` to the push
   * listener and the resync job (which get read access to it). Default: none.
   */
  githubTokenSecret?: pulumi.Input<string>;
  /** Stop both triggers: the resync schedule is paused and push events are not delivered. Default: false. */
  paused?: boolean;
  /** Images of the push listener and resync job. Default: `defaultImage(<role>)`. */
  triggerImages?: { githubPush?: pulumi.Input<string>; resync?: pulumi.Input<string> };
}

const githubNamePattern = /^[A-Za-z0-9._-]{1,100}$/;

export function checkGithubPathReconcilerArgs(
  name: string,
  args: GithubPathReconcilerArgs,
): ArgProblem[] {
  const problems: ArgProblem[] = [
    ...checkRegionalReconcilerArgs(name, args),
    ...checkPathPatterns(args.pathPatterns),
    ...checkResyncPeriodHours(args.resyncPeriodHours),
  ];
  for (const field of ['githubOwner', 'githubRepo'] as const) {
    const value: unknown = args[field];
    if (typeof value !== 'string' || !githubNamePattern.test(value)) {
      problems.push({
        field,
        message: 'is required: a GitHub owner or repository name (letters, digits, ., _, -)',
      });
    }
  }
  if (args.broker !== undefined) {
    problems.push(
      ...checkCoversRegions('broker', args.broker, args.regions ?? {}),
      ...checkRegionKeys('broker', args.broker, args.regions ?? {}),
    );
  }
  return problems;
}

/**
 * A RegionalReconciler whose keys are the files of one GitHub repository matching
 * `pathPatterns`: a push listener (`recon serve github-push`) enqueues changed files of the
 * default branch at priority 100 as pushes arrive on the broker; an hourly resync job
 * (`recon serve resync`) enqueues every matching file once per `resyncPeriodHours`, spread over
 * the period, at priority 0.
 */
export class GithubPathReconciler extends pulumi.ComponentResource {
  readonly reconciler: RegionalReconciler;
  readonly receiver: ServiceOutputs;
  readonly reconcilerUris: Record<string, pulumi.Output<string>>;
  readonly topic: pulumi.Output<string[]>;
  readonly dashboards: pulumi.Output<string[]>;
  /** The push listener, when a broker was given. */
  readonly pushListener: ServiceOutputs | undefined;
  /** Name of the resync job (primary region). */
  readonly resyncJob: pulumi.Output<string>;

  constructor(
    name: string,
    args: GithubPathReconcilerArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    failOnProblems(githubPathReconcilerType, name, checkGithubPathReconcilerArgs(name, args));
    super(githubPathReconcilerType, name, {}, opts);

    const base = args.name ?? name;
    const project = args.project;
    const regions = Object.keys(args.regions);
    const primary = args.primaryRegion ?? regions[0]!;
    const parent = { parent: this };
    const paused = args.paused ?? false;
    const labels = resourceLabels({
      component: 'github-path-reconciler',
      name: base,
      ...(args.team === undefined ? {} : { team: args.team }),
      ...(args.product === undefined ? {} : { product: args.product }),
      ...(args.labels === undefined ? {} : { labels: args.labels }),
    });

    this.reconciler = new RegionalReconciler(name, { ...args, name: base }, parent);
    const receiver = this.reconciler.receiver;

    const triggerEnv = (region: string): EnvMap => ({
      GITHUB_OWNER: args.githubOwner,
      GITHUB_REPO: args.githubRepo,
      PATH_PATTERNS: JSON.stringify(args.pathPatterns),
      RECEIVER_URL: receiver.uris[region]!,
    });
    const secretEnv =
      args.githubTokenSecret === undefined
        ? undefined
        : { GITHUB_TOKEN: { secret: args.githubTokenSecret } };
    const readsToken = (logicalName: string, member: pulumi.Input<string>): void => {
      if (args.githubTokenSecret === undefined) return;
      grantSecretAccessor(this, logicalName, {
        project,
        secretId: args.githubTokenSecret,
        member,
      });
    };

    // Push listener: broker → filtered push subscription → listener → receiver.
    if (args.broker !== undefined) {
      const listenerSa = createServiceAccount(this, `${name}-push-listener`, {
        project,
        accountId: accountId(base, 'ghp'),
        displayName: `${base} push listener`,
        description: `The identity of the GitHub push listener of ${base}; it may enqueue.`,
        metricWriter: true,
      });
      const deliverySa = createServiceAccount(this, `${name}-push-delivery`, {
        project,
        accountId: accountId(base, 'ghd'),
        displayName: `${base} push delivery`,
        description: `The identity Pub/Sub delivers push events to ${base}-push as.`,
        metricWriter: false,
      });
      readsToken(`${name}-push-listener-token`, listenerSa.member);
      grantInvoker(this, `${name}-push-listener-invokes-receiver`, {
        project,
        service: receiver.name,
        regions,
        member: listenerSa.member,
      });
      const listener = new RegionalService(
        `${name}-push`,
        {
          name: `${base}-push`,
          project,
          regions: args.regions,
          serviceAccount: listenerSa.email,
          ingress: 'INGRESS_TRAFFIC_INTERNAL_ONLY',
          labels,
          deletionProtection: args.deletionProtection ?? true,
          container: {
            image: args.triggerImages?.githubPush ?? defaultImage('github-push'),
            args: serveArgs('github-push'),
            regionalEnv: envByRegion(regions, triggerEnv),
            ...(secretEnv === undefined ? {} : { secretEnv }),
          },
        },
        parent,
      );
      const deliveryGrants = grantInvoker(this, `${name}-push-delivery-invokes-listener`, {
        project,
        service: listener.serviceName,
        regions,
        member: deliverySa.member,
      });
      // Paused: no subscription, so no push is delivered (nor kept for later).
      if (!paused) {
        for (const region of regions) {
          new gcp.pubsub.Subscription(
            `${name}-push-${region}`,
            {
              project,
              name: `${base}-push-${regionShort(region)}`,
              topic: args.broker[region]!,
              filter: cloudEventFilterExpression({ type: githubPushEventType }),
              ackDeadlineSeconds: 300,
              retryPolicy: { minimumBackoff: '10s', maximumBackoff: '600s' },
              pushConfig: {
                pushEndpoint: pulumi.interpolate`${listener.uris[region]!}/`,
                oidcToken: {
                  serviceAccountEmail: deliverySa.email,
                  audience: listener.uris[region]!,
                },
              },
              expirationPolicy: { ttl: '' },
              labels,
            },
            { parent: this, dependsOn: deliveryGrants },
          );
        }
      }
      this.pushListener = listener.ref;
    } else {
      this.pushListener = undefined;
    }

    // Resync: a Cloud Run job in the primary region, run every hour by Cloud Scheduler.
    const resyncSa = createServiceAccount(this, `${name}-resync`, {
      project,
      accountId: accountId(base, 'rsy'),
      displayName: `${base} resync job`,
      description: `The identity of the resync job of ${base}; it may enqueue.`,
      metricWriter: false,
    });
    readsToken(`${name}-resync-token`, resyncSa.member);
    grantInvoker(this, `${name}-resync-invokes-receiver`, {
      project,
      service: receiver.name,
      regions: [primary],
      member: resyncSa.member,
    });
    const job = createJob(this, `${name}-resync`, {
      project,
      region: primary,
      name: `${base}-resync`,
      serviceAccount: resyncSa.email,
      image: args.triggerImages?.resync ?? defaultImage('resync'),
      args: serveArgs('resync'),
      envs: [
        ...toEnvList({
          ...triggerEnv(primary),
          RESYNC_PERIOD_HOURS: String(args.resyncPeriodHours),
          RESYNC_TICK_MINUTES: String(resyncTickMinutes),
        }),
        ...(args.githubTokenSecret === undefined
          ? []
          : [
              {
                name: 'GITHUB_TOKEN',
                valueSource: {
                  secretKeyRef: { secret: args.githubTokenSecret, version: 'latest' },
                },
              },
            ]),
      ],
      network: args.regions[primary] ?? {},
      maxRetries: 1,
      // Under the hourly tick, so one run ends before the next starts.
      timeoutSeconds: 3000,
      labels,
      deletionProtection: args.deletionProtection ?? true,
    });
    const schedulerSa = createServiceAccount(this, `${name}-resync-trigger`, {
      project,
      accountId: accountId(base, 'rst'),
      displayName: `${base} resync trigger`,
      description: `The identity Cloud Scheduler runs the ${base}-resync job as.`,
      metricWriter: false,
    });
    const runJob = new gcp.cloudrunv2.JobIamMember(
      `${name}-resync-trigger-runs-job`,
      {
        project,
        location: primary,
        name: job.name,
        role: roles.runInvoker,
        member: schedulerSa.member,
      },
      parent,
    );
    new gcp.cloudscheduler.Job(
      `${name}-resync`,
      {
        project,
        region: primary,
        name: `${base}-resync`,
        description: `Runs ${base}-resync every hour (period ${args.resyncPeriodHours} h).`,
        schedule: resyncSchedule,
        timeZone: resyncTimeZone,
        paused,
        httpTarget: {
          httpMethod: 'POST',
          uri: pulumi.interpolate`https://run.googleapis.com/v2/projects/${project}/locations/${primary}/jobs/${job.name}:run`,
          oauthToken: {
            serviceAccountEmail: schedulerSa.email,
            scope: 'https://www.googleapis.com/auth/cloud-platform',
          },
        },
      },
      { parent: this, dependsOn: [runJob] },
    );

    this.receiver = receiver;
    this.reconcilerUris = this.reconciler.reconcilerUris;
    this.topic = this.reconciler.topic;
    this.dashboards = this.reconciler.dashboards;
    this.resyncJob = job.name;
    this.registerOutputs({
      receiver: this.receiver,
      reconcilerUris: this.reconcilerUris,
      topic: this.topic,
      dashboards: this.dashboards,
      pushListener: this.pushListener,
      resyncJob: this.resyncJob,
    });
  }
}
