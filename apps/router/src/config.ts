/**
 * The router's configuration, parsed once from the environment by main.ts; every problem is
 * listed in one ConfigError.
 *
 * | variable | default | meaning |
 * |---|---|---|
 * | WORKQUEUE_SHARDS | — | comma-separated receiver URLs, in shard order (the order is the contract) |
 * | PORT | 8080 | gRPC (h2c) port |
 * | HEALTH_PORT | — | also serve HTTP /healthz on this port |
 */
import { ConfigError, InvalidArgumentError } from '@recon/core';
import { parseTarget } from '@recon/proto';

export type Env = Record<string, string | undefined>;

export interface RouterConfig {
  shards: string[];
  port: number;
  healthPort?: number;
}

export function parseRouterConfig(env: Env): RouterConfig {
  const problems: string[] = [];
  const read = (name: string) => {
    const value = env[name]?.trim();
    return value === '' ? undefined : value;
  };
  const port = (name: string): number | undefined => {
    const raw = read(name);
    if (raw === undefined) return undefined;
    if (!/^\d+$/.test(raw) || Number(raw) > 65535) {
      problems.push(`${name} must be a port number (0-65535), got ${JSON.stringify(raw)}`);
      return undefined;
    }
    return Number(raw);
  };

  const shards: string[] = [];
  const rawShards = read('WORKQUEUE_SHARDS');
  if (rawShards === undefined) {
    problems.push('WORKQUEUE_SHARDS is required (comma-separated receiver URLs, in shard order)');
  } else {
    rawShards.split(',').forEach((entry, index) => {
      const url = entry.trim().replace(/\/+$/, '');
      const field = `WORKQUEUE_SHARDS[${index}]`;
      if (url === '') return problems.push(`${field} is empty`);
      try {
        parseTarget(url, field);
      } catch (err) {
        if (!InvalidArgumentError.is(err)) throw err;
        return problems.push(err.message);
      }
      if (shards.includes(url))
        return problems.push(`${field} repeats ${url}: each shard must be listed once`);
      shards.push(url);
    });
  }

  const config: RouterConfig = { shards, port: port('PORT') ?? 8080 };
  const healthPort = port('HEALTH_PORT');
  if (healthPort !== undefined) config.healthPort = healthPort;
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
