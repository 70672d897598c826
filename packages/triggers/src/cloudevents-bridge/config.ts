/**
 * `recon serve cloudevents-bridge`, configured by environment only; every problem is listed.
 *
 * | variable | default | meaning |
 * |---|---|---|
 * | PORT, HOST | 8080, 0.0.0.0 | push endpoint (POST /), /healthz, /metrics |
 * | RECEIVER_URL | required | the workqueue receiver |
 * | EXTENSION_KEY | required | the CloudEvent extension whose value is the key (`pullrequesturl`) |
 * | PRIORITY | 0 | priority of every key |
 * | FILTERS | `[]` | JSON array of exact-match attribute maps, OR-ed; empty accepts all |
 * | PUBSUB_SUBSCRIPTION | — | also pull from this subscription (local use) |
 * | PUBSUB_EMULATOR_HOST, PUBSUB_PROJECT_ID | — | emulator and project for pull mode |
 */
import { EnvReader, type Env } from '@recon/backends';
import { attributeName, parseFilters, type AttributeFilter } from './filters.ts';
import { readPubSubConfig, type PubSubConfig } from '../util/pubsub-client.ts';
import {
  readListen,
  readPriority,
  readReceiverUrl,
  type ListenConfig,
} from '../util/service-config.ts';

export interface CloudEventsBridgeConfig extends ListenConfig {
  receiverUrl: string;
  extensionKey: string;
  priority: number;
  filters: AttributeFilter[];
  /** Pull mode when set. */
  subscription?: string;
  pubsub: PubSubConfig;
}

export function parseCloudEventsBridgeConfig(env: Env): CloudEventsBridgeConfig {
  const r = new EnvReader(env);
  const extensionKey = r.required(
    'EXTENSION_KEY',
    '(the CloudEvent extension holding the key, e.g. pullrequesturl)',
  );
  if (extensionKey && !attributeName.test(extensionKey)) {
    r.problems.push(
      `EXTENSION_KEY must be a CloudEvent attribute name (a-z, 0-9), got ${JSON.stringify(extensionKey)}`,
    );
  }
  const config: CloudEventsBridgeConfig = {
    ...readListen(r),
    receiverUrl: readReceiverUrl(r, '(the workqueue receiver, http://host:port or https://…)'),
    extensionKey,
    priority: readPriority(r, 'PRIORITY', 0),
    filters: parseFilters(r.string('FILTERS'), 'FILTERS', r.problems),
    pubsub: readPubSubConfig(r),
  };
  const subscription = r.string('PUBSUB_SUBSCRIPTION');
  if (subscription) config.subscription = subscription;
  r.done();
  return config;
}
