import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import { workqueueDashboardJson } from '../dashboards/dashboard-json.ts';
import { failOnProblems } from '../errors.ts';
import type { ArgProblem } from '../errors.ts';
import { workqueueNameMax } from '../names.ts';
import type { Scope } from '../types.ts';
import { checkBaseName, checkInt, checkOneOf } from '../validation.ts';

export const workqueueDashboardType = 'recon:gcp:WorkqueueDashboard';

export interface WorkqueueDashboardArgs {
  project: pulumi.Input<string>;
  /** Base names of the queues shown (one, or every shard). Default: `[<resource name>]`. */
  queues?: string[];
  /** Drawn as the concurrency line on "Work in progress". Default: 20. */
  concurrentWork?: number;
  /** Drawn on "Max attempts"; 0 hides the dead-letter panel. Default: 100. */
  maxRetry?: number;
  /** `regional` splits every queue panel by region. Default: `global`. */
  scope?: Scope;
  /** Default: `Workqueue <queues>`. */
  displayName?: string;
}

export function checkDashboardCommon(args: {
  queues?: string[];
  concurrentWork?: number;
  maxRetry?: number;
  scope?: Scope;
}): ArgProblem[] {
  return [
    ...(args.queues ?? []).flatMap((q, i) => checkBaseName(`queues[${i}]`, q, workqueueNameMax)),
    ...(args.queues !== undefined && args.queues.length === 0
      ? [{ field: 'queues', message: 'at least one queue is required' }]
      : []),
    ...checkInt('concurrentWork', args.concurrentWork, { min: 1 }),
    ...checkInt('maxRetry', args.maxRetry, { min: 0 }),
    ...checkOneOf('scope', args.scope, ['global', 'regional']),
  ];
}

/**
 * A Cloud Monitoring dashboard of one workqueue (or the shards of one): the queue panels of
 * spec 06 from the metrics the receiver and dispatcher export, then their Cloud Run requests,
 * errors, latency and logs.
 */
export class WorkqueueDashboard extends pulumi.ComponentResource {
  readonly dashboard: gcp.monitoring.Dashboard;
  /** The dashboard's id (`projects/<number>/dashboards/<id>`). */
  readonly dashboardId: pulumi.Output<string>;

  constructor(name: string, args: WorkqueueDashboardArgs, opts?: pulumi.ComponentResourceOptions) {
    failOnProblems(workqueueDashboardType, name, checkDashboardCommon(args));
    super(workqueueDashboardType, name, {}, opts);
    const queues = args.queues ?? [name];
    const settings = {
      displayName: args.displayName ?? `Workqueue ${queues.join(', ')}`,
      queues,
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
          .apply((project) => JSON.stringify(workqueueDashboardJson({ ...settings, project }))),
      },
      { parent: this },
    );
    this.dashboardId = this.dashboard.id;
    this.registerOutputs({ dashboardId: this.dashboardId });
  }
}
