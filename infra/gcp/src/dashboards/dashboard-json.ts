// Whole dashboards: pure functions of names and settings, serialised by the dashboard components.
import type { Scope } from '../types.ts';
import { workqueueNames } from '../names.ts';
import { cloudRunWidgets, reconcilerWidgets } from './service-panels.ts';
import { workqueueWidgets } from './workqueue-panels.ts';
import { gridColumns, layoutTiles, sectionHeader } from './widgets.ts';
import type { DashboardJson, Widget } from './widgets.ts';

export interface WorkqueueDashboardOptions {
  displayName: string;
  project: string;
  /** Base names of the queues (one, or one per shard). */
  queues: readonly string[];
  concurrentWork: number;
  maxRetry: number;
  scope: Scope;
}

function queueServices(queues: readonly string[]): string[] {
  return queues.flatMap((q) => {
    const names = workqueueNames(q);
    return [names.receiver, names.dispatcher];
  });
}

function dashboard(displayName: string, widgets: Widget[]): DashboardJson {
  return { displayName, mosaicLayout: { columns: gridColumns, tiles: layoutTiles(widgets) } };
}

export function workqueueDashboardJson(options: WorkqueueDashboardOptions): DashboardJson {
  return dashboard(options.displayName, [
    sectionHeader('Workqueue', options.queues.join(', ')),
    ...workqueueWidgets(options),
    sectionHeader('Receiver and dispatcher'),
    ...cloudRunWidgets('Queue services', queueServices(options.queues), options.project),
  ]);
}

export interface ReconcilerDashboardOptions extends WorkqueueDashboardOptions {
  /** The reconciler's Cloud Run service name. */
  reconcilerService: string;
  /** The shard router's service name, when sharded. */
  routerService?: string;
}

export function reconcilerDashboardJson(options: ReconcilerDashboardOptions): DashboardJson {
  const queueServiceNames = [
    ...(options.routerService === undefined ? [] : [options.routerService]),
    ...queueServices(options.queues),
  ];
  return dashboard(options.displayName, [
    sectionHeader('Reconciler', options.reconcilerService),
    ...reconcilerWidgets(options.reconcilerService),
    ...cloudRunWidgets('Reconciler', [options.reconcilerService], options.project),
    sectionHeader('Workqueue', options.queues.join(', ')),
    ...workqueueWidgets(options),
    sectionHeader('Queue services'),
    ...cloudRunWidgets('Queue services', queueServiceNames, options.project),
  ]);
}
