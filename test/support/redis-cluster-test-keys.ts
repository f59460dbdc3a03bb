/**
 * The Redis Cluster of the `cluster` project for a test file: one cluster client and a fresh key prefix per store
 * made; `cleanup` (call it from `afterAll`) deletes every key under those prefixes on every master, then closes
 * the client. The counterpart of redis-test-keys.ts.
 */
import { randomUUID } from 'node:crypto';
import { Cluster } from 'ioredis';
import { inject } from 'vitest';

export interface ClusterTestKeys {
  /** `redis+cluster://…`, the gateway's URL of the cluster. */
  readonly url: string;
  readonly redis: Cluster;
  /** A prefix no other test uses; its keys go in `cleanup`. */
  prefix(): string;
  /** Deletes every key of the prefixes made, on every master, then closes the client. */
  cleanup(): Promise<void>;
}

export function clusterTestKeys(): ClusterTestKeys {
  const nodes = inject('redisCluster').map((address) => {
    const [host, port] = address.split(':');
    return { host: host as string, port: Number(port) };
  });
  const redis = new Cluster(nodes);
  const prefixes: string[] = [];
  return {
    url: inject('redisClusterUrl'),
    redis,
    prefix() {
      const prefix = `smsgw-test:${randomUUID()}:`;
      prefixes.push(prefix);
      return prefix;
    },
    async cleanup() {
      await deleteUnder(redis, prefixes.splice(0));
      await redis.quit();
    },
  };
}

/** Deletes every key under the prefixes on every master (a key at a time: one DEL may not span slots). */
export async function deleteUnder(redis: Cluster, prefixes: readonly string[]): Promise<number> {
  let deleted = 0;
  for (const node of redis.nodes('master')) {
    for (const prefix of prefixes) {
      for await (const keys of node.scanStream({ match: `${prefix}*`, count: 1000 }) as AsyncIterable<string[]>) {
        const counts = await Promise.all(keys.map((key) => node.unlink(key)));
        deleted += counts.reduce((sum, n) => sum + n, 0);
      }
    }
  }
  return deleted;
}
