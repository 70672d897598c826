// `roles/secretmanager.secretAccessor` for one member on one Secret Manager secret.
import * as gcp from '@pulumi/gcp';
import type * as pulumi from '@pulumi/pulumi';
import { roles } from '../iam.ts';

export interface SecretAccessGrant {
  project: pulumi.Input<string>;
  /** The secret's id (or `projects/<p>/secrets/<id>`). */
  secretId: pulumi.Input<string>;
  member: pulumi.Input<string>;
}

export function grantSecretAccessor(
  parent: pulumi.Resource,
  logicalName: string,
  grant: SecretAccessGrant,
): gcp.secretmanager.SecretIamMember {
  return new gcp.secretmanager.SecretIamMember(
    logicalName,
    {
      project: grant.project,
      secretId: grant.secretId,
      role: roles.secretAccessor,
      member: grant.member,
    },
    { parent },
  );
}
