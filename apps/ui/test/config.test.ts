import { ConfigError } from '@recon/core';
import { describe, expect, it } from 'vitest';
import { parseUiConfig, serveUiFromEnv } from '../src/index.ts';

describe('parseUiConfig', () => {
  it('reads the service environment with defaults', () => {
    const config = parseUiConfig({
      WORKQUEUE_BUCKET: 'q',
      UI_READ_ONLY: 'true',
      UI_BASE_PATH: '/ui/',
      UI_METRICS_URLS: 'http://dispatcher:8080/metrics, https://receiver.run.app/metrics',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      readOnly: true,
      basePath: '/ui',
      refreshMs: 1500,
      metricsUrls: ['http://dispatcher:8080/metrics', 'https://receiver.run.app/metrics'],
      queue: { mode: 'gcs', bucket: 'q' },
    });
  });

  it('lists every problem at once', () => {
    let error: unknown;
    try {
      parseUiConfig({
        UI_READ_ONLY: 'yes',
        UI_BASE_PATH: 'ui',
        UI_METRICS_URLS: 'ftp://x',
        PORT: 'x',
      });
    } catch (err) {
      error = err;
    }
    expect(ConfigError.is(error)).toBe(true);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of [
      'UI_READ_ONLY',
      'UI_BASE_PATH',
      'UI_METRICS_URLS',
      'PORT',
      'WORKQUEUE_BUCKET',
    ]) {
      expect(problems).toContain(name);
    }
  });
});

describe('serveUiFromEnv', () => {
  it('serves the page and health on the configured port', async () => {
    const lines: string[] = [];
    const service = await serveUiFromEnv(
      { WORKQUEUE_MODE: 'memory', PORT: '0', HOST: '127.0.0.1', UI_READ_ONLY: '1' },
      (line) => lines.push(line),
    );
    try {
      expect(lines[0]).toMatch(/^ui: serving http:\/\/127\.0\.0\.1:\d+\/ \(read-only\)$/);
      expect((await fetch(new URL('/healthz', service.url))).status).toBe(200);
      const overview = (await (await fetch(new URL('api/overview', service.url))).json()) as {
        readOnly: boolean;
      };
      expect(overview.readOnly).toBe(true);
    } finally {
      await service.stop();
    }
  });
});
