import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import { deadLetterCondition, deadLetterDocumentation } from '../dashboards/dead-letter-alert.ts';
import { failOnProblems } from '../errors.ts';
import { workqueueNameMax } from '../names.ts';
import type { Scope } from '../types.ts';
import { checkBaseName, checkOneOf } from '../validation.ts';

export const deadLetterAlertType = 'recon:gcp:DeadLetterAlert';

export interface DeadLetterAlertArgs {
  project: pulumi.Input<string>;
  /** Base name of the workqueue (its dispatcher is `<queue>-dsp`). */
  queue: string;
  /** Default: `global`. */
  scope?: Scope;
  /** Default: none (the incident shows in the console only). */
  notificationChannels?: pulumi.Input<string>[];
  /** User labels of the policy. Default: none. */
  labels?: Record<string, string>;
}

/**
 * An alert policy that opens an incident as soon as a queue holds one dead-lettered key
 * (`workqueue_dead_lettered_keys ≥ 1`), severity ERROR, closing an hour after it clears.
 */
export class DeadLetterAlert extends pulumi.ComponentResource {
  readonly policy: gcp.monitoring.AlertPolicy;
  /** The policy's resource name (`projects/…/alertPolicies/…`). */
  readonly policyName: pulumi.Output<string>;

  constructor(name: string, args: DeadLetterAlertArgs, opts?: pulumi.ComponentResourceOptions) {
    failOnProblems(deadLetterAlertType, name, [
      ...checkBaseName('queue', args.queue, workqueueNameMax),
      ...checkOneOf('scope', args.scope, ['global', 'regional']),
    ]);
    super(deadLetterAlertType, name, {}, opts);

    this.policy = new gcp.monitoring.AlertPolicy(
      name,
      {
        project: args.project,
        displayName: `Workqueue dead-lettered keys ${args.queue}`,
        combiner: 'OR',
        severity: 'ERROR',
        conditions: [deadLetterCondition(args.queue, args.scope ?? 'global')],
        alertStrategy: { autoClose: '3600s' },
        documentation: { ...deadLetterDocumentation(args.queue), mimeType: 'text/markdown' },
        notificationChannels: args.notificationChannels ?? [],
        userLabels: args.labels ?? {},
      },
      { parent: this },
    );
    this.policyName = this.policy.name;
    this.registerOutputs({ policyName: this.policyName });
  }
}
