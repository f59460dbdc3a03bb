/**
 * The test Redis Cluster itself: the shared one has three masters sharing every slot, and a cluster started and
 * closed leaves no server and no directory behind.
 */
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { Cluster } from 'ioredis';
import { afterAll, describe, expect, inject, test } from 'vitest';
import { clusterTestKeys } from './redis-cluster-test-keys.ts';
import { RedisCluster } from './redis-cluster.ts';

const testKeys = clusterTestKeys();

afterAll(() => testKeys.cleanup());

describe('the shared Redis Cluster', () => {
  test('three masters on loopback share the 16384 slots', async () => {
    expect(inject('redisCluster')).toHaveLength(3);
    expect(inject('redisClusterUrl')).toBe(`redis+cluster://${inject('redisCluster').join(',')}`);
    const slots = await testKeys.redis.cluster('SLOTS');
    const owners = new Set(slots.map(([, , master]) => `${master?.[0]}:${master?.[1]}`));
    expect([...owners].sort()).toEqual([...inject('redisCluster')].sort());
    expect(slots.reduce((sum, [from, to]) => sum + to - from + 1, 0)).toBe(16_384);
  });

  test('keys of different tags land on different masters, and one script may not touch two slots', async () => {
    const prefix = testKeys.prefix();
    const masters = new Set<string>();
    for (let i = 0; i < 30; i++) {
      await testKeys.redis.set(`${prefix}{t${i}}`, '1');
      const slot = Number(await testKeys.redis.cluster('KEYSLOT', `${prefix}{t${i}}`));
      const master = (await testKeys.redis.cluster('SLOTS')).find(([from, to]) => slot >= from && slot <= to)?.[2];
      masters.add(`${master?.[0]}:${master?.[1]}`);
    }
    expect(masters.size).toBe(3);
    await expect(testKeys.redis.eval("return redis.call('MGET', KEYS[1], KEYS[2])", 2, `${prefix}{a}`, `${prefix}{b}`)).rejects.toThrow(/CROSSSLOT/);
  });
});

describe('RedisCluster', () => {
  test('close() stops every server and removes its directory', async () => {
    const cluster = await RedisCluster.start();
    const client = new Cluster(cluster.addresses.map((address) => ({ host: '127.0.0.1', port: Number(address.split(':')[1]) })));
    try {
      await client.set('k', 'v');
      expect(await client.get('k')).toBe('v');
    } finally {
      await client.quit();
      await cluster.close();
    }
    expect(existsSync(cluster.dir)).toBe(false);
    for (const address of cluster.addresses) {
      const refused = await new Promise<string>((resolve) => {
        const socket = connect(Number(address.split(':')[1]), '127.0.0.1', () => {
          socket.destroy();
          resolve('connected');
        });
        socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
      });
      expect(refused).toBe('ECONNREFUSED');
    }
  });
});
