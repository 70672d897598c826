// Arguments of a Workqueue and their checks (pure, so they are tested without Pulumi).
import type * as pulumi from '@pulumi/pulumi';
import type { ArgProblem } from './errors.ts';
import type { WorkqueueImages } from './images.ts';
import { workqueueNameMax } from './names.ts';
import { ingressValues, multiRegions, scopes } from './types.ts';
import type { CommonArgs, Ingress, MultiRegion, Scope } from './types.ts';
import {
  checkBaseName,
  checkCoversRegions,
  checkInt,
  checkOneOf,
  checkRegionKeys,
  checkRegions,
} from './validation.ts';

/** What the dispatcher calls. Give `service`, `uris`, or both. */
export interface WorkqueueReconciler {
  /**
   * Name of the reconciler's Cloud Run service (the same in every region, in this project). The
   * dispatcher gets `roles/run.invoker` on it in each region, and its URL is looked up per region
   * unless `uris` gives it.
   */
  service?: pulumi.Input<string>;
  /** Region → URL the dispatcher calls (every region). Without `service`, no grant is made. */
  uris?: Record<string, pulumi.Input<string>>;
}

export interface WorkqueueArgs extends CommonArgs {
  /** Base of every name (`<name>-rcv`, `<name>-dsp`, …). Default: the resource name. */
  name?: string;
  /** In-flight reconciles per dispatcher instance (`WORKQUEUE_CONCURRENCY`). Required. */
  concurrentWork: number;
  /** Keys started per dispatcher pass. Default: ceil(concurrentWork / number of regions). */
  batchSize?: number;
  /** Attempts before a key is dead-lettered; 0 = unlimited. Default: 100. */
  maxRetry?: number;
  /** The reconciler the dispatcher calls. */
  reconciler: WorkqueueReconciler;
  /** Per-call deadline (`WORKQUEUE_TIMEOUT`), seconds: the reconciler's timeout. Default: 300. */
  reconcilerTimeoutSeconds?: number;
  /** Alert on dead-lettered keys (only when maxRetry > 0). Default: true. */
  enableDeadLetterAlerting?: boolean;
  /** Multi-region of the `global` bucket. Default: `US`. */
  location?: MultiRegion;
  /**
   * CPU only during requests, per service and region. Default: receiver true; dispatcher false
   * (its dispatch loop runs between requests, so its CPU must stay allocated).
   */
  cpuIdle?: { receiver?: Record<string, boolean>; dispatcher?: Record<string, boolean> };
  /** Ingress of the receiver. Default: `INGRESS_TRAFFIC_INTERNAL_ONLY`. */
  receiverIngress?: Ingress;
  /** Default: `global`. See `Scope`. */
  scope?: Scope;
  /** Default: `defaultImage('receiver' | 'dispatcher' | 'reenqueue')`. */
  images?: WorkqueueImages;
}

export function checkWorkqueueArgs(name: string, args: WorkqueueArgs): ArgProblem[] {
  const regions = args.regions ?? {};
  const problems: ArgProblem[] = [
    ...checkBaseName('name', args.name ?? name, workqueueNameMax),
    ...checkRegions(regions, args.primaryRegion),
    ...checkInt('concurrentWork', args.concurrentWork, { min: 1 }, true),
    ...checkInt('batchSize', args.batchSize, { min: 1 }),
    ...checkInt('maxRetry', args.maxRetry, { min: 0 }),
    ...checkInt('reconcilerTimeoutSeconds', args.reconcilerTimeoutSeconds, { min: 1, max: 3600 }),
    ...checkOneOf('location', args.location, multiRegions),
    ...checkOneOf('scope', args.scope, scopes),
    ...checkOneOf('receiverIngress', args.receiverIngress, ingressValues),
    ...checkRegionKeys('cpuIdle.receiver', args.cpuIdle?.receiver, regions),
    ...checkRegionKeys('cpuIdle.dispatcher', args.cpuIdle?.dispatcher, regions),
  ];
  const reconciler = args.reconciler as WorkqueueReconciler | undefined;
  if (reconciler?.service === undefined && reconciler?.uris === undefined) {
    problems.push({
      field: 'reconciler',
      message: "is required: the reconciler's Cloud Run service name (service) or its URLs (uris)",
    });
  } else if (reconciler.uris !== undefined) {
    problems.push(
      ...checkCoversRegions('reconciler.uris', reconciler.uris, regions),
      ...checkRegionKeys('reconciler.uris', reconciler.uris, regions),
    );
  }
  return problems;
}
