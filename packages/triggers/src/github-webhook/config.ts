/**
 * `recon serve github-webhook`, configured by environment only; every problem is listed.
 *
 * | variable | default | meaning |
 * |---|---|---|
 * | PORT, HOST | 8080, 0.0.0.0 | webhook endpoint (POST /), /healthz, /metrics |
 * | GITHUB_WEBHOOK_SECRET | required | the webhook's secret (never logged) |
 * | RECEIVER_URL | one of these two | enqueue keys directly into the workqueue |
 * | BROKER_TOPIC | one of these two | publish CloudEvents to this Pub/Sub topic |
 * | PUBSUB_EMULATOR_HOST, PUBSUB_PROJECT_ID | — | emulator and project for BROKER_TOPIC |
 */
import { EnvReader, type Env } from '@recon/backends';
import { readPubSubConfig, type PubSubConfig } from '../util/pubsub-client.ts';
import { readListen, type ListenConfig } from '../util/service-config.ts';

export interface GithubWebhookConfig extends ListenConfig {
  secret: string;
  target: { kind: 'receiver'; url: string } | { kind: 'broker'; topic: string };
  pubsub: PubSubConfig;
}

export function parseGithubWebhookConfig(env: Env): GithubWebhookConfig {
  const r = new EnvReader(env);
  const listen = readListen(r);
  const secret = r.required(
    'GITHUB_WEBHOOK_SECRET',
    '(the secret the webhook signs deliveries with)',
  );
  const url = r.url('RECEIVER_URL');
  const topic = r.string('BROKER_TOPIC');
  if (!url && !topic && !r.problems.some((p) => p.startsWith('RECEIVER_URL'))) {
    r.problems.push(
      'one of RECEIVER_URL (enqueue directly) or BROKER_TOPIC (publish CloudEvents) is required',
    );
  }
  if (url && topic) r.problems.push('set only one of RECEIVER_URL and BROKER_TOPIC');
  const pubsub = readPubSubConfig(r);
  r.done();
  return {
    ...listen,
    secret,
    target: topic ? { kind: 'broker', topic } : { kind: 'receiver', url: url ?? '' },
    pubsub,
  };
}
