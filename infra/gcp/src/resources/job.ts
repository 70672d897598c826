// A Cloud Run (v2) job: one task running one of recon's images, as one service account.
import * as gcp from '@pulumi/gcp';
import type * as pulumi from '@pulumi/pulumi';
import type { RegionNetwork } from '../types.ts';
import { vpcAccessOf } from '../vpc.ts';

export interface JobOptions {
  project: pulumi.Input<string>;
  region: string;
  /** The job's name (what `gcloud run jobs execute` takes). */
  name: string;
  serviceAccount: pulumi.Input<string>;
  image: pulumi.Input<string>;
  args: string[];
  envs: gcp.types.input.cloudrunv2.JobTemplateTemplateContainerEnv[];
  /** Egress through the region's VPC (all traffic), when it has a network. */
  network: RegionNetwork;
  /** Retries of a failed task. */
  maxRetries: number;
  timeoutSeconds: number;
  labels: Record<string, string>;
  deletionProtection: boolean;
}

export function createJob(
  parent: pulumi.Resource,
  logicalName: string,
  options: JobOptions,
): gcp.cloudrunv2.Job {
  return new gcp.cloudrunv2.Job(
    logicalName,
    {
      project: options.project,
      location: options.region,
      name: options.name,
      deletionProtection: options.deletionProtection,
      labels: options.labels,
      template: {
        taskCount: 1,
        template: {
          serviceAccount: options.serviceAccount,
          executionEnvironment: 'EXECUTION_ENVIRONMENT_GEN2',
          maxRetries: options.maxRetries,
          timeout: `${options.timeoutSeconds}s`,
          containers: [{ image: options.image, args: options.args, envs: options.envs }],
          ...vpcAccessOf(options.network, 'ALL_TRAFFIC'),
        },
      },
    },
    { parent },
  );
}
