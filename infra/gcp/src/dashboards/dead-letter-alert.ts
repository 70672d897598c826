// The dead-letter alert: fires when a queue holds at least one dead-lettered key.
import { workqueueNames } from '../names.ts';
import type { Scope } from '../types.ts';
import { labelIn, promMetricType, queueGroupBy, serviceNameLabel } from './gmp.ts';
import { workqueueMetrics } from './workqueue-panels.ts';

/**
 * Metric-threshold conditions accept only `COMPARISON_GT` and `COMPARISON_LT`; the gauge is a
 * whole number of keys, so `> 0` is exactly `≥ 1`.
 */
export const deadLetterComparison = 'COMPARISON_GT';
export const deadLetterThresholdValue = 0;
/** The smallest dead-letter size that fires the alert. */
export const deadLetterAlertAt = 1;

/** The alert exists only where keys can be dead-lettered (`maxRetry > 0`) and it is wanted. */
export function wantsDeadLetterAlert(maxRetry: number, enableDeadLetterAlerting: boolean): boolean {
  return maxRetry > 0 && enableDeadLetterAlerting;
}

export interface DeadLetterCondition {
  displayName: string;
  conditionThreshold: {
    filter: string;
    comparison: string;
    thresholdValue: number;
    duration: string;
    aggregations: {
      alignmentPeriod: string;
      perSeriesAligner: string;
      crossSeriesReducer: string;
      groupByFields: string[];
    }[];
    trigger: { count: number };
  };
}

/**
 * One series per queue: every dispatcher instance and revision exports its own copy of the gauge,
 * so MAX across them (grouped by service, and by region in `regional` scope where each region is
 * its own queue) keeps one incident per queue through rollouts and scaling.
 */
export function deadLetterCondition(queue: string, scope: Scope): DeadLetterCondition {
  const dispatcher = workqueueNames(queue).dispatcher;
  return {
    displayName: `Dead-lettered keys in ${queue}`,
    conditionThreshold: {
      filter: [
        'resource.type="prometheus_target"',
        `metric.type="${promMetricType(workqueueMetrics.deadLetteredKeys, 'gauge')}"`,
        labelIn(serviceNameLabel, [dispatcher]),
      ].join(' AND '),
      comparison: deadLetterComparison,
      thresholdValue: deadLetterThresholdValue,
      duration: '0s',
      aggregations: [
        {
          alignmentPeriod: '60s',
          perSeriesAligner: 'ALIGN_MAX',
          crossSeriesReducer: 'REDUCE_MAX',
          groupByFields: queueGroupBy(scope),
        },
      ],
      trigger: { count: 1 },
    },
  };
}

export function deadLetterDocumentation(queue: string): { subject: string; content: string } {
  const names = workqueueNames(queue);
  return {
    subject: `Workqueue ${queue} has dead-lettered keys`,
    content: [
      `${names.dispatcher} dead-lettered at least ${deadLetterAlertAt} key after its retries ran out.`,
      'Find the cause in the dispatcher and reconciler logs, fix it, then move the keys back:',
      `\`gcloud run jobs execute ${names.reenqueue}\` (or \`recon dlq reenqueue\`).`,
    ].join('\n\n'),
  };
}
