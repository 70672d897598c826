import { ConfigError } from '@recon/core';
import { describe, expect, it } from 'vitest';
import { EnvReader, readQueueConfig } from '../src/index.ts';

describe('readQueueConfig', () => {
  it('defaults to gcs mode and requires a bucket there', () => {
    const env = new EnvReader({});
    readQueueConfig(env);
    expect(() => env.done()).toThrow(/WORKQUEUE_BUCKET is required/);
  });

  it('lists every problem at once', () => {
    const env = new EnvReader({
      WORKQUEUE_MODE: 'disk',
      WORKQUEUE_MAX_RETRY: 'many',
      WORKQUEUE_LEASE: 'soon',
    });
    readQueueConfig(env);
    try {
      env.done();
      expect.unreachable();
    } catch (e) {
      expect(ConfigError.is(e)).toBe(true);
      const problems = (e as ConfigError).problems.join('\n');
      expect(problems).toMatch(/WORKQUEUE_MODE must be one of gcs, memory/);
      expect(problems).toMatch(/WORKQUEUE_MAX_RETRY must be an integer/);
      expect(problems).toMatch(/WORKQUEUE_LEASE must be a duration/);
    }
  });

  it('reads durations and the emulator host', () => {
    const env = new EnvReader({
      WORKQUEUE_BUCKET: 'q',
      STORAGE_EMULATOR_HOST: '127.0.0.1:4443',
      WORKQUEUE_BACKOFF_BASE: '1s',
      WORKQUEUE_BACKOFF_MAX: '10s',
      WORKQUEUE_LEASE: '30s',
      WORKQUEUE_MAX_RETRY: '0',
    });
    const c = readQueueConfig(env);
    env.done();
    expect(c).toMatchObject({ mode: 'gcs', bucket: 'q', emulatorHost: '127.0.0.1:4443' });
    expect(c.workqueue).toMatchObject({
      backoffBaseMs: 1000,
      backoffCapMs: 10_000,
      leaseMs: 30_000,
      heartbeatMs: 10_000,
      maxRetry: 0,
    });
  });
});
