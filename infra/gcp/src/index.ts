// @recon/pulumi-gcp: Pulumi components that deploy recon on Google Cloud (spec 06).

// Components (type tokens recon:gcp:<Name>).
export { Workqueue, workqueueType, checkWorkqueueArgs } from './components/workqueue.ts';
export type { WorkqueueArgs, WorkqueueReconciler } from './components/workqueue.ts';
export {
  RegionalService,
  regionalServiceType,
  checkRegionalServiceArgs,
} from './components/regional-service.ts';
export type { RegionalServiceArgs, ContainerArgs } from './components/regional-service.ts';
export {
  RegionalReconciler,
  regionalReconcilerType,
  checkRegionalReconcilerArgs,
} from './components/regional-reconciler.ts';
export type { RegionalReconcilerArgs } from './components/regional-reconciler.ts';
export {
  CloudEventsWorkqueue,
  cloudEventsWorkqueueType,
  checkCloudEventsWorkqueueArgs,
} from './components/cloud-events-workqueue.ts';
export type { CloudEventsWorkqueueArgs } from './components/cloud-events-workqueue.ts';
export {
  GithubPathReconciler,
  githubPathReconcilerType,
  checkGithubPathReconcilerArgs,
} from './components/github-path-reconciler.ts';
export type { GithubPathReconcilerArgs } from './components/github-path-reconciler.ts';
export { WorkqueueDashboard, workqueueDashboardType } from './components/workqueue-dashboard.ts';
export type { WorkqueueDashboardArgs } from './components/workqueue-dashboard.ts';
export { ReconcilerDashboard, reconcilerDashboardType } from './components/reconciler-dashboard.ts';
export type { ReconcilerDashboardArgs } from './components/reconciler-dashboard.ts';
export { DeadLetterAlert, deadLetterAlertType } from './components/dead-letter-alert.ts';
export type { DeadLetterAlertArgs } from './components/dead-letter-alert.ts';

// Shared types, errors and the pure builders behind the components.
export { InvalidArgsError } from './errors.ts';
export type { ArgProblem } from './errors.ts';
export type {
  CommonArgs,
  Egress,
  Ingress,
  MultiRegion,
  RegionNetwork,
  Regions,
  Scope,
  ServiceOutputs,
  ServiceRef,
} from './types.ts';
export { defaultImage, defaultImageRegistry, gmpSidecarImage, serveArgs } from './images.ts';
export type { ServiceRole, WorkqueueImages } from './images.ts';
export { receiverMetricsPort } from './env.ts';
export { runMonitoringYaml } from './metrics-sidecar.ts';
export type { MetricsSidecarArgs } from './metrics-sidecar.ts';
export { roles, publicMembers, workqueueGrants } from './iam.ts';
export { workqueueNames, accountId, regionShort, fnv1a32 } from './names.ts';
export { cloudEventFilterExpression } from './pubsub-filter.ts';
export { workqueueDashboardJson, reconcilerDashboardJson } from './dashboards/dashboard-json.ts';
export type { DashboardJson } from './dashboards/widgets.ts';
