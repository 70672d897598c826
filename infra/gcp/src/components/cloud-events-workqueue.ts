import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import { envByRegion } from '../env.ts';
import type { ArgProblem } from '../errors.ts';
import { failOnProblems } from '../errors.ts';
import { pubsubServiceAgent, roles } from '../iam.ts';
import { defaultImage, serveArgs } from '../images.ts';
import { resourceLabels } from '../labels.ts';
import { accountId, cloudRunNameMax, regionShort } from '../names.ts';
import { checkCloudEventFilters, cloudEventFilterExpression } from '../pubsub-filter.ts';
import { grantInvoker } from '../resources/invoker.ts';
import { createServiceAccount } from '../resources/service-account.ts';
import type { CommonArgs, ServiceOutputs, ServiceRef } from '../types.ts';
import {
  checkBaseName,
  checkCoversRegions,
  checkInt,
  checkRegionKeys,
  checkRegions,
} from '../validation.ts';
import { RegionalService } from './regional-service.ts';

export const cloudEventsWorkqueueType = 'recon:gcp:CloudEventsWorkqueue';

export interface CloudEventsWorkqueueArgs extends Omit<CommonArgs, 'notificationChannels'> {
  /** Base of every name (`<name>-ce`, `<name>-dlq`, …). Default: the resource name. */
  name?: string;
  /** Region → the broker's Pub/Sub topic (id or name) in that region; every region. */
  broker: Record<string, pulumi.Input<string>>;
  /**
   * Exact-match CloudEvent attribute maps, OR-ed: an event passes when every attribute of one
   * filter matches. One Pub/Sub subscription per filter and region. At least one.
   */
  filters: Record<string, string>[];
  /** The CloudEvent extension whose value becomes the key (e.g. `pullrequesturl`). */
  extensionKey: string;
  /** Priority of the enqueued keys. Default: 0. */
  priority?: number;
  /** The queue's receiver (a Workqueue's or RegionalReconciler's `receiver`). */
  workqueue: ServiceRef;
  /** Deliveries before an event goes to the dead-letter topic (5–100). Default: 20. */
  maxDeliveryAttempts?: number;
  /** Redelivery backoff bounds, seconds (0–600). Default: 10 and 600. */
  minimumBackoffSeconds?: number;
  maximumBackoffSeconds?: number;
  /** Pub/Sub ack deadline, seconds (10–600). Default: 300. */
  ackDeadlineSeconds?: number;
  /** Image of the bridge. Default: `defaultImage('cloudevents-bridge')`. */
  image?: pulumi.Input<string>;
}

export function checkCloudEventsWorkqueueArgs(
  name: string,
  args: CloudEventsWorkqueueArgs,
): ArgProblem[] {
  const regions = args.regions ?? {};
  const problems: ArgProblem[] = [
    ...checkBaseName('name', args.name ?? name, cloudRunNameMax - '-ce'.length),
    ...checkRegions(regions, args.primaryRegion),
    ...checkCloudEventFilters(args.filters),
    ...checkInt('priority', args.priority, { min: -2_147_483_648, max: 2_147_483_647 }),
    ...checkInt('maxDeliveryAttempts', args.maxDeliveryAttempts, { min: 5, max: 100 }),
    ...checkInt('minimumBackoffSeconds', args.minimumBackoffSeconds, { min: 0, max: 600 }),
    ...checkInt('maximumBackoffSeconds', args.maximumBackoffSeconds, { min: 0, max: 600 }),
    ...checkInt('ackDeadlineSeconds', args.ackDeadlineSeconds, { min: 10, max: 600 }),
  ];
  if (typeof args.extensionKey !== 'string' || !/^[a-z0-9]{1,20}$/.test(args.extensionKey)) {
    problems.push({
      field: 'extensionKey',
      message: 'is required: a CloudEvent extension name (1–20 lowercase letters or digits)',
    });
  }
  if ((args.minimumBackoffSeconds ?? 10) > (args.maximumBackoffSeconds ?? 600)) {
    problems.push({
      field: 'minimumBackoffSeconds',
      message: 'must not exceed maximumBackoffSeconds',
    });
  }
  if (args.broker === undefined) {
    problems.push({ field: 'broker', message: 'is required: region → broker topic' });
  } else {
    problems.push(
      ...checkCoversRegions('broker', args.broker, regions),
      ...checkRegionKeys('broker', args.broker, regions),
    );
  }
  if (args.workqueue?.uris === undefined) {
    problems.push({
      field: 'workqueue',
      message: "is required: the queue's receiver (name, uris)",
    });
  } else {
    problems.push(...checkCoversRegions('workqueue.uris', args.workqueue.uris, regions));
  }
  return problems;
}

/**
 * Bridges CloudEvents on a broker (a Pub/Sub topic per region) to a workqueue: filtered push
 * subscriptions deliver matching events to a bridge service (`recon serve cloudevents-bridge`)
 * in the same region, which enqueues the value of `extensionKey` at `priority`. Events that keep
 * failing go to a dead-letter topic (kept by a pull subscription for inspection).
 */
export class CloudEventsWorkqueue extends pulumi.ComponentResource {
  /** The bridge service: name and region → URL. */
  readonly bridge: ServiceOutputs;
  /** Names of the push subscriptions (filter × region). */
  readonly subscriptions: pulumi.Output<string>[];
  /** The dead-letter topic id, and the subscription that keeps its messages. */
  readonly deadLetterTopic: pulumi.Output<string>;
  readonly deadLetterSubscription: pulumi.Output<string>;

  constructor(
    name: string,
    args: CloudEventsWorkqueueArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    failOnProblems(cloudEventsWorkqueueType, name, checkCloudEventsWorkqueueArgs(name, args));
    super(cloudEventsWorkqueueType, name, {}, opts);

    const base = args.name ?? name;
    const project = args.project;
    const regions = Object.keys(args.regions);
    const parent = { parent: this };
    const labels = resourceLabels({
      component: 'cloudevents-workqueue',
      name: base,
      ...(args.team === undefined ? {} : { team: args.team }),
      ...(args.product === undefined ? {} : { product: args.product }),
      ...(args.labels === undefined ? {} : { labels: args.labels }),
    });

    const bridgeSa = createServiceAccount(this, `${name}-bridge`, {
      project,
      accountId: accountId(base, 'ceb'),
      displayName: `${base} CloudEvents bridge`,
      description: `The identity of the CloudEvents bridge ${base}; it may enqueue.`,
      metricWriter: true,
    });
    const pushSa = createServiceAccount(this, `${name}-push`, {
      project,
      accountId: accountId(base, 'cep'),
      displayName: `${base} CloudEvents delivery`,
      description: `The identity Pub/Sub delivers events to the bridge ${base} as.`,
      metricWriter: false,
    });
    grantInvoker(this, `${name}-bridge-invokes-receiver`, {
      project,
      service: args.workqueue.name,
      regions,
      member: bridgeSa.member,
    });

    const bridge = new RegionalService(
      `${name}-ce`,
      {
        name: `${base}-ce`,
        project,
        regions: args.regions,
        serviceAccount: bridgeSa.email,
        ingress: 'INGRESS_TRAFFIC_INTERNAL_ONLY',
        labels,
        deletionProtection: args.deletionProtection ?? true,
        container: {
          image: args.image ?? defaultImage('cloudevents-bridge'),
          args: serveArgs('cloudevents-bridge'),
          regionalEnv: envByRegion(regions, (region) => ({
            RECEIVER_URL: args.workqueue.uris[region]!,
            EXTENSION_KEY: args.extensionKey,
            PRIORITY: String(args.priority ?? 0),
            FILTERS: JSON.stringify(args.filters),
          })),
        },
      },
      parent,
    );
    const deliveryGrants = grantInvoker(this, `${name}-push-invokes-bridge`, {
      project,
      service: bridge.serviceName,
      regions,
      member: pushSa.member,
    });

    // Dead letters: a topic the Pub/Sub service agent may publish to, and a subscription that
    // keeps them (a topic without one drops every message).
    const projectNumber = gcp.organizations.getProjectOutput({ projectId: project }, parent).number;
    const pubsubAgent = projectNumber.apply(pubsubServiceAgent);
    const dlq = new gcp.pubsub.Topic(
      `${name}-dlq`,
      { project, name: `${base}-dlq`, labels },
      parent,
    );
    const dlqPublisher = new gcp.pubsub.TopicIAMMember(
      `${name}-dlq-publisher`,
      { project, topic: dlq.name, role: roles.pubsubPublisher, member: pubsubAgent },
      parent,
    );
    const dlqSubscription = new gcp.pubsub.Subscription(
      `${name}-dlq`,
      {
        project,
        name: `${base}-dlq`,
        topic: dlq.id,
        messageRetentionDuration: '604800s',
        expirationPolicy: { ttl: '' },
        labels,
      },
      parent,
    );

    this.subscriptions = [];
    for (const region of regions) {
      args.filters.forEach((filter, i) => {
        const subscriptionName = `${base}-${regionShort(region)}-${i}`;
        const subscription = new gcp.pubsub.Subscription(
          `${name}-${region}-${i}`,
          {
            project,
            name: subscriptionName,
            topic: args.broker[region]!,
            filter: cloudEventFilterExpression(filter),
            ackDeadlineSeconds: args.ackDeadlineSeconds ?? 300,
            retryPolicy: {
              minimumBackoff: `${args.minimumBackoffSeconds ?? 10}s`,
              maximumBackoff: `${args.maximumBackoffSeconds ?? 600}s`,
            },
            deadLetterPolicy: {
              deadLetterTopic: dlq.id,
              maxDeliveryAttempts: args.maxDeliveryAttempts ?? 20,
            },
            pushConfig: {
              pushEndpoint: pulumi.interpolate`${bridge.uris[region]!}/`,
              oidcToken: { serviceAccountEmail: pushSa.email, audience: bridge.uris[region]! },
            },
            expirationPolicy: { ttl: '' },
            labels,
          },
          { parent: this, dependsOn: [...deliveryGrants, dlqPublisher] },
        );
        // Forwarding to the dead-letter topic requires the agent to be a subscriber here.
        new gcp.pubsub.SubscriptionIAMMember(
          `${name}-${region}-${i}-dead-lettering`,
          {
            project,
            subscription: subscription.name,
            role: roles.pubsubSubscriber,
            member: pubsubAgent,
          },
          parent,
        );
        this.subscriptions.push(subscription.name);
      });
    }

    this.bridge = bridge.ref;
    this.deadLetterTopic = dlq.id;
    this.deadLetterSubscription = dlqSubscription.name;
    this.registerOutputs({
      bridge: this.bridge,
      subscriptions: this.subscriptions,
      deadLetterTopic: this.deadLetterTopic,
      deadLetterSubscription: this.deadLetterSubscription,
    });
  }
}
