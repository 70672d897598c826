// A service account per role, with the one project-level grant a Cloud Run service with the
// metrics sidecar needs (writing metrics).
import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import { roles } from '../iam.ts';

export interface ServiceAccountOptions {
  project: pulumi.Input<string>;
  /** 6–30 characters; see `accountId` in names.ts. */
  accountId: string;
  displayName: string;
  description?: string;
  /** Grant `roles/monitoring.metricWriter` on the project (the GMP sidecar writes as this SA). */
  metricWriter: boolean;
}

export interface ServiceIdentity {
  account: gcp.serviceaccount.Account;
  email: pulumi.Output<string>;
  /** `serviceAccount:<email>`, for IAM members. */
  member: pulumi.Output<string>;
}

export function createServiceAccount(
  parent: pulumi.Resource,
  logicalName: string,
  options: ServiceAccountOptions,
): ServiceIdentity {
  const account = new gcp.serviceaccount.Account(
    logicalName,
    {
      project: options.project,
      accountId: options.accountId,
      displayName: options.displayName,
      description: options.description ?? options.displayName,
    },
    { parent },
  );
  const member = pulumi.interpolate`serviceAccount:${account.email}`;
  if (options.metricWriter) {
    new gcp.projects.IAMMember(
      `${logicalName}-metric-writer`,
      { project: options.project, role: roles.metricWriter, member },
      { parent },
    );
  }
  return { account, email: account.email, member };
}
