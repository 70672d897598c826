import { ConfigError } from '@recon/core';
import { describe, expect, it } from 'vitest';
import { parseReceiverConfig } from '../src/index.ts';

const problems = (env: Record<string, string | undefined>): readonly string[] => {
  try {
    parseReceiverConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
};

describe('parseReceiverConfig', () => {
  it('defaults: port 8080, gcs mode', () => {
    expect(parseReceiverConfig({ WORKQUEUE_BUCKET: 'my-queue' })).toEqual({
      port: 8080,
      queue: { mode: 'gcs', bucket: 'my-queue' },
    });
  });

  it('memory mode needs no bucket; blank values count as unset', () => {
    expect(
      parseReceiverConfig({ WORKQUEUE_MODE: 'memory', PORT: '9000', WORKQUEUE_BUCKET: ' ' }),
    ).toEqual({
      port: 9000,
      queue: { mode: 'memory', bucket: '' },
    });
  });

  it('passes STORAGE_EMULATOR_HOST through and reads HEALTH_PORT', () => {
    expect(
      parseReceiverConfig({
        WORKQUEUE_BUCKET: 'q-1',
        STORAGE_EMULATOR_HOST: '127.0.0.1:4443',
        HEALTH_PORT: '8081',
      }),
    ).toEqual({
      port: 8080,
      healthPort: 8081,
      queue: { mode: 'gcs', bucket: 'q-1', emulatorHost: '127.0.0.1:4443' },
    });
  });

  it('lists every problem in one ConfigError', () => {
    expect(problems({ PORT: '80a', HEALTH_PORT: '70000', WORKQUEUE_MODE: 'disk' })).toEqual([
      'PORT must be a port number (0-65535), got "80a"',
      'HEALTH_PORT must be a port number (0-65535), got "70000"',
      'WORKQUEUE_MODE must be one of gcs, memory, got "disk"',
      'WORKQUEUE_BUCKET is required in gcs mode (the queue bucket name)',
    ]);
  });

  it('rejects a bucket name GCS would refuse', () => {
    expect(problems({ WORKQUEUE_BUCKET: 'Bad_Bucket!' })).toEqual([
      'WORKQUEUE_BUCKET is not a valid bucket name: "Bad_Bucket!"',
    ]);
  });
});
