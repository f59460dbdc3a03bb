/**
 * Vitest global setup of the `cluster` project: one local Redis Cluster of three masters for the whole run, its
 * nodes provided to every test file as `inject('redisCluster')` (and its URL as `inject('redisClusterUrl')`).
 * The cluster is the run's own: its tests still clean up their keys (redis-cluster-test-keys.ts).
 */
import type { TestProject } from 'vitest/node';
import { RedisCluster } from './redis-cluster.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `host:port` of every master of the run's Redis Cluster, e.g. ['127.0.0.1:40123', …] */
    redisCluster: string[];
    /** The same cluster as the gateway's REDIS_URL reads it: `redis+cluster://127.0.0.1:40123,…` */
    redisClusterUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cluster = await RedisCluster.start();
  project.provide('redisCluster', cluster.addresses);
  project.provide('redisClusterUrl', cluster.url);
  return async () => {
    await cluster.close();
  };
}
