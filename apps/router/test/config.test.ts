import { ConfigError } from '@recon/core';
import { describe, expect, it } from 'vitest';
import { parseRouterConfig } from '../src/index.ts';

describe('parseRouterConfig', () => {
  it('reads the shard list in order, trimming blanks and trailing slashes', () => {
    expect(
      parseRouterConfig({
        WORKQUEUE_SHARDS: ' http://10.0.0.1:8080 , https://q-1-rcv-abc.a.run.app/ ',
        PORT: '9090',
      }),
    ).toEqual({ shards: ['http://10.0.0.1:8080', 'https://q-1-rcv-abc.a.run.app'], port: 9090 });
  });

  it('defaults PORT to 8080 and reads HEALTH_PORT', () => {
    expect(parseRouterConfig({ WORKQUEUE_SHARDS: 'http://a:1', HEALTH_PORT: '8081' })).toEqual({
      shards: ['http://a:1'],
      port: 8080,
      healthPort: 8081,
    });
  });

  it('lists every problem in one ConfigError', () => {
    try {
      parseRouterConfig({
        WORKQUEUE_SHARDS: 'http://a:1,,grpc://b:2,http://a:1,not a url',
        PORT: '-1',
      });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems).toEqual([
        'WORKQUEUE_SHARDS[1] is empty',
        'WORKQUEUE_SHARDS[2]: "grpc://b:2" must start with http:// or https://',
        'WORKQUEUE_SHARDS[3] repeats http://a:1: each shard must be listed once',
        'WORKQUEUE_SHARDS[4]: "not a url" is not a URL (use http://host:port or https://host)',
        'PORT must be a port number (0-65535), got "-1"',
      ]);
    }
  });

  it('requires WORKQUEUE_SHARDS', () => {
    expect(() => parseRouterConfig({})).toThrow(/WORKQUEUE_SHARDS is required/);
  });
});
