// `roles/run.invoker` for one member on a Cloud Run service in each of a set of regions.
import * as gcp from '@pulumi/gcp';
import type * as pulumi from '@pulumi/pulumi';
import { roles } from '../iam.ts';

export interface InvokerGrant {
  project: pulumi.Input<string>;
  /** The service's name (the same in every region). */
  service: pulumi.Input<string>;
  regions: readonly string[];
  member: pulumi.Input<string>;
}

export function grantInvoker(
  parent: pulumi.Resource,
  logicalPrefix: string,
  grant: InvokerGrant,
  opts: pulumi.CustomResourceOptions = {},
): gcp.cloudrunv2.ServiceIamMember[] {
  return grant.regions.map(
    (region) =>
      new gcp.cloudrunv2.ServiceIamMember(
        `${logicalPrefix}-${region}`,
        {
          project: grant.project,
          location: region,
          name: grant.service,
          role: roles.runInvoker,
          member: grant.member,
        },
        { ...opts, parent },
      ),
  );
}
