// Who may do what: the IAM sets of the components, as data. The components turn each grant into
// one resource-level IAM member (bucket, topic, Cloud Run service or job), never a project-level
// binding, except `monitoring.metricWriter` for identities whose service runs the metrics sidecar
// (Cloud Monitoring has no narrower scope). No grant names a public principal.

export const roles = {
  /** Create, read, update, delete and list objects; no bucket or IAM administration. */
  objectUser: 'roles/storage.objectUser',
  /** Invoke a Cloud Run service; run a Cloud Run job. */
  runInvoker: 'roles/run.invoker',
  pubsubPublisher: 'roles/pubsub.publisher',
  pubsubSubscriber: 'roles/pubsub.subscriber',
  metricWriter: 'roles/monitoring.metricWriter',
  secretAccessor: 'roles/secretmanager.secretAccessor',
} as const;

/** Members that would make a resource public; the components never grant them anything. */
export const publicMembers = ['allUsers', 'allAuthenticatedUsers'] as const;

export interface Grant<P extends string, T extends string> {
  principal: P;
  role: string;
  on: T;
}

/** A workqueue's identities: one service account per role, plus Google's storage service agent. */
export type WorkqueuePrincipal =
  'receiver' | 'dispatcher' | 'triggers' | 'reenqueue' | 'storageServiceAgent';
export type WorkqueueTarget = 'bucket' | 'topic' | 'dispatcherService' | 'reconcilerService';

/**
 * A workqueue's grants (spec 06): object access on the queue's own bucket(s) only; the triggers
 * identity (Cloud Scheduler and the push subscription) may invoke the dispatcher; the dispatcher
 * may invoke the reconciler (when it is a Cloud Run service we know the name of); the storage
 * service agent may publish to the notification topic(s).
 */
export function workqueueGrants(options: {
  reconcilerService: boolean;
}): Grant<WorkqueuePrincipal, WorkqueueTarget>[] {
  const grants: Grant<WorkqueuePrincipal, WorkqueueTarget>[] = [
    { principal: 'receiver', role: roles.objectUser, on: 'bucket' },
    { principal: 'dispatcher', role: roles.objectUser, on: 'bucket' },
    { principal: 'reenqueue', role: roles.objectUser, on: 'bucket' },
    { principal: 'storageServiceAgent', role: roles.pubsubPublisher, on: 'topic' },
    { principal: 'triggers', role: roles.runInvoker, on: 'dispatcherService' },
  ];
  if (options.reconcilerService) {
    grants.push({ principal: 'dispatcher', role: roles.runInvoker, on: 'reconcilerService' });
  }
  return grants;
}

/** Pub/Sub service agent of a project (it delivers dead letters and mints push tokens). */
export function pubsubServiceAgent(projectNumber: string): string {
  return `serviceAccount:service-${projectNumber}@gcp-sa-pubsub.iam.gserviceaccount.com`;
}
