import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import { reconcilerDashboardJson } from '../dashboards/dashboard-json.ts';
import { failOnProblems } from '../errors.ts';
import { reconcilerServiceName, routerServiceName, shardQueueName } from '../names.ts';
import type { Scope } from '../types.ts';
import { checkBaseName, checkShards } from '../validation.ts';
import { checkDashboardCommon } from './workqueue-dashboard.ts';

export const reconcilerDashboardType = 'recon:gcp:ReconcilerDashboard';

export interface ReconcilerDashboardArgs {
  project: pulumi.Input<string>;
  /** Base name of the RegionalReconciler (`<name>-rec`, `<name>-wq`…). Default: resource name. */
  name?: string;
  /** Shards of its queue (1–5); more than one adds the router. Default: 1. */
  shards?: number;
  /** Default: 20 (the RegionalReconciler default). */
  concurrentWork?: number;
  /** Default: 100. */
  maxRetry?: number;
  /** Default: `global`. */
  scope?: Scope;
  /** Default: `Reconciler <name>`. */
  displayName?: string;
}

/**
 * A Cloud Monitoring dashboard of a RegionalReconciler: reconciles by outcome and duration, the
 * reconciler service's requests, errors, latency and logs, then its workqueue (every shard).
 */
export class ReconcilerDashboard extends pulumi.ComponentResource {
  readonly dashboard: gcp.monitoring.Dashboard;
  readonly dashboardId: pulumi.Output<string>;

  constructor(name: string, args: ReconcilerDashboardArgs, opts?: pulumi.ComponentResourceOptions) {
    const base = args.name ?? name;
    failOnProblems(reconcilerDashboardType, name, [
      ...checkBaseName('name', base, 63),
      ...checkShards(args.shards),
      ...checkDashboardCommon(args),
    ]);
    super(reconcilerDashboardType, name, {}, opts);
    const shards = args.shards ?? 1;
    const settings = {
      displayName: args.displayName ?? `Reconciler ${base}`,
      reconcilerService: reconcilerServiceName(base),
      ...(shards > 1 ? { routerService: routerServiceName(base) } : {}),
      queues: Array.from({ length: shards }, (_, i) => shardQueueName(base, i, shards)),
      concurrentWork: args.concurrentWork ?? 20,
      maxRetry: args.maxRetry ?? 100,
      scope: args.scope ?? 'global',
    };
    this.dashboard = new gcp.monitoring.Dashboard(
      name,
      {
        project: args.project,
        dashboardJson: pulumi
          .output(args.project)
          .apply((project) => JSON.stringify(reconcilerDashboardJson({ ...settings, project }))),
      },
      { parent: this },
    );
    this.dashboardId = this.dashboard.id;
    this.registerOutputs({ dashboardId: this.dashboardId });
  }
}
