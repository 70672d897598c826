// A reconciler with its workqueue and dashboards, in every configured region.
//
//   pulumi config set gcp:project my-project
//   pulumi config set --path 'regions[0]' us-central1      # optional; default us-central1
//   pulumi config set reconImage us-docker.pkg.dev/my-project/recon/reconciler@sha256:…
//   pulumi up                                              # or: recon deploy
import * as pulumi from '@pulumi/pulumi';
import { RegionalReconciler } from '@recon/pulumi-gcp';
import type { Regions } from '@recon/pulumi-gcp';

const config = new pulumi.Config();
const project = new pulumi.Config('gcp').require('project');
const regionNames = config.getObject<string[]>('regions') ?? ['us-central1'];
// The services egress through this VPC: a dispatcher reaches the internal-only reconciler that
// way. Default: the project's `default` network (its subnets need Private Google Access).
// `subnets` (region → subnet) picks subnets; by default each region's subnet named like the network.
const network = config.get('network') ?? 'default';
const subnets = config.getObject<Record<string, string>>('subnets') ?? {};
const regions: Regions = Object.fromEntries(
  regionNames.map((region) => [region, { network, subnet: subnets[region] }]),
);

const reconciler = new RegionalReconciler('example', {
  project,
  regions,
  reconciler: {
    // `recon deploy` builds the image from source and sets this; by hand, set it yourself.
    image: config.get('reconImage') ?? 'ghcr.io/recon-dev/example-reconciler:latest',
  },
  concurrentWork: config.getNumber('concurrentWork') ?? 20,
  notificationChannels: config.getObject<string[]>('notificationChannels') ?? [],
  team: config.get('team') ?? 'example',
  // Lets `pulumi destroy` remove an example; keep the default (true) for real queues.
  deletionProtection: config.getBoolean('deletionProtection') ?? false,
  dashboard: true, // the ReconcilerDashboard: reconciler, queue and service panels
});

export const receiver = reconciler.receiver;
export const reconcilerUris = reconciler.reconcilerUris;
export const topic = reconciler.topic;
export const dashboards = reconciler.dashboards;
