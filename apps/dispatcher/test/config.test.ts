import { ConfigError, defaultWorkqueueOptions } from '@recon/core';
import { describe, expect, it } from 'vitest';
import { parseDispatcherConfig } from '../src/index.ts';

const owner = { owner: 'host-1-42' };
const minimal = { WORKQUEUE_BUCKET: 'my-queue', WORKQUEUE_TARGET: 'http://127.0.0.1:9000' };

const problems = (env: Record<string, string | undefined>): readonly string[] => {
  try {
    parseDispatcherConfig(env, owner);
  } catch (err) {
    if (ConfigError.is(err)) return err.problems;
    throw err;
  }
  return [];
};

describe('parseDispatcherConfig', () => {
  it('defaults (spec 03): port 8080, gcs, concurrency 20, batch = concurrency, 300 s timeout', () => {
    expect(parseDispatcherConfig(minimal, owner)).toEqual({
      port: 8080,
      host: '0.0.0.0',
      queue: { mode: 'gcs', bucket: 'my-queue', workqueue: { ...defaultWorkqueueOptions } },
      concurrency: 20,
      batchSize: 20,
      target: 'http://127.0.0.1:9000',
      timeoutMs: 300_000,
      dispatchPeriodMs: 1000,
      orphanSweepPeriodMs: 30_000,
      pollIntervalMs: 10_000,
      queueName: 'recon',
      owner: 'host-1-42',
    });
  });

  it('reads every variable', () => {
    const config = parseDispatcherConfig(
      {
        PORT: '9090',
        HOST: '127.0.0.1',
        WORKQUEUE_MODE: 'gcs',
        WORKQUEUE_BUCKET: 'orders',
        STORAGE_EMULATOR_HOST: '127.0.0.1:4443',
        WORKQUEUE_CONCURRENCY: '7',
        WORKQUEUE_BATCH_SIZE: '3',
        WORKQUEUE_MAX_RETRY: '0',
        WORKQUEUE_BACKOFF_BASE: '100ms',
        WORKQUEUE_BACKOFF_MAX: '2s',
        WORKQUEUE_LEASE: '90',
        WORKQUEUE_TARGET: 'https://rec-abc-uc.a.run.app/',
        WORKQUEUE_TIMEOUT: '5m',
        WORKQUEUE_DISPATCH_PERIOD: '250ms',
        WORKQUEUE_ORPHAN_SWEEP_PERIOD: '1m30s',
        WORKQUEUE_POLL_INTERVAL: '1.5s',
        WORKQUEUE_ERROR_SINK: 'http://sink.local/events/',
        WORKQUEUE_NAME: 'orders-queue',
        WORKQUEUE_OWNER: 'dsp-a',
      },
      owner,
    );
    expect(config).toEqual({
      port: 9090,
      host: '127.0.0.1',
      queue: {
        mode: 'gcs',
        bucket: 'orders',
        emulatorHost: '127.0.0.1:4443',
        workqueue: {
          ...defaultWorkqueueOptions,
          maxRetry: 0,
          backoffBaseMs: 100,
          backoffCapMs: 2000,
          leaseMs: 90_000,
          heartbeatMs: 30_000,
        },
      },
      concurrency: 7,
      batchSize: 3,
      target: 'https://rec-abc-uc.a.run.app',
      timeoutMs: 300_000,
      dispatchPeriodMs: 250,
      orphanSweepPeriodMs: 90_000,
      pollIntervalMs: 1500,
      errorSink: 'http://sink.local/events',
      queueName: 'orders-queue',
      owner: 'dsp-a',
    });
  });

  it('memory mode needs no bucket; the queue name falls back to K_SERVICE; blank counts as unset', () => {
    const config = parseDispatcherConfig(
      {
        WORKQUEUE_MODE: 'memory',
        WORKQUEUE_TARGET: 'http://r:1',
        K_SERVICE: 'svc-dsp',
        WORKQUEUE_BUCKET: '  ',
        PORT: ' ',
      },
      owner,
    );
    expect(config.queue).toMatchObject({ mode: 'memory', bucket: '' });
    expect(config.queueName).toBe('svc-dsp');
    expect(config.port).toBe(8080);
    expect(config.errorSink).toBeUndefined();
  });

  it('lists every problem at once', () => {
    expect(
      problems({
        PORT: '99999',
        WORKQUEUE_MODE: 'disk',
        WORKQUEUE_BUCKET: 'my-queue',
        WORKQUEUE_CONCURRENCY: 'lots',
        WORKQUEUE_BATCH_SIZE: '0',
        WORKQUEUE_MAX_RETRY: '-1',
        WORKQUEUE_TARGET: 'grpc://reconciler:80',
        WORKQUEUE_TIMEOUT: '0s',
        WORKQUEUE_DISPATCH_PERIOD: 'soon',
        WORKQUEUE_ERROR_SINK: 'not a url',
      }),
    ).toEqual([
      'WORKQUEUE_CONCURRENCY must be an integer, got "lots"',
      'PORT must be <= 65535, got 99999',
      'WORKQUEUE_MODE must be one of gcs, memory, got "disk"',
      'WORKQUEUE_MAX_RETRY must be >= 0, got -1',
      'WORKQUEUE_BATCH_SIZE must be >= 1, got 0',
      'WORKQUEUE_TARGET must be an http:// or https:// URL, got "grpc://reconciler:80"',
      'WORKQUEUE_TIMEOUT must be > 0, got "0s"',
      'WORKQUEUE_DISPATCH_PERIOD must be a duration such as 500ms, 30s, 5m or 2h, got "soon"',
      'WORKQUEUE_ERROR_SINK must be an http:// or https:// URL, got "not a url"',
    ]);
  });

  it('names the missing variables', () => {
    expect(problems({})).toEqual([
      'WORKQUEUE_BUCKET is required in gcs mode (the queue bucket name)',
      'WORKQUEUE_TARGET is required (the reconciler URL, http://host:port or https://…)',
    ]);
  });

  it('refuses a backoff cap below its base', () => {
    expect(
      problems({ ...minimal, WORKQUEUE_BACKOFF_BASE: '10s', WORKQUEUE_BACKOFF_MAX: '1s' }),
    ).toEqual(['WORKQUEUE_BACKOFF_MAX must be >= WORKQUEUE_BACKOFF_BASE']);
  });
});
