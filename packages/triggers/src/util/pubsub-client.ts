import { PubSub } from '@google-cloud/pubsub';
import type { EnvReader } from '@recon/backends';

export interface PubSubConfig {
  /** `PUBSUB_EMULATOR_HOST` (`host:port`): talk to a local emulator, without credentials. */
  emulatorHost?: string;
  /** `PUBSUB_PROJECT_ID` or `GOOGLE_CLOUD_PROJECT`, for short topic/subscription names. */
  projectId?: string;
}

export function readPubSubConfig(env: EnvReader): PubSubConfig {
  const config: PubSubConfig = {};
  const emulatorHost = env.string('PUBSUB_EMULATOR_HOST');
  if (emulatorHost) config.emulatorHost = emulatorHost;
  const projectId = env.string('PUBSUB_PROJECT_ID') ?? env.string('GOOGLE_CLOUD_PROJECT');
  if (projectId) config.projectId = projectId;
  return config;
}

/**
 * A Pub/Sub client from config rather than from process.env: the emulator host is passed as the
 * API endpoint (the client then uses plaintext and no credentials), as the variable would do.
 */
export function createPubSub(config: PubSubConfig): PubSub {
  return new PubSub({
    ...(config.projectId ? { projectId: config.projectId } : {}),
    ...(config.emulatorHost ? { apiEndpoint: config.emulatorHost, emulatorMode: true } : {}),
  });
}
