import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, test } from 'vitest';
import { RedisPortingSource, redisKeys } from '../../../../gateway/index.ts';
import { describePortingSourceContract } from '../../../router/carriers/porting-source-contract.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const runPrefix = `test-mnp-${randomBytes(4).toString('hex')}:`;
let counter = 0;

async function deleteUnder(prefix: string): Promise<number> {
  const redis = new Redis(REDIS_URL);
  let deleted = 0;
  try {
    for await (const keys of redis.scanStream({ match: redisKeys(prefix).allPattern, count: 1000 }) as AsyncIterable<string[]>) {
      if (keys.length > 0) deleted += await redis.del(...keys);
    }
  } finally {
    redis.disconnect();
  }
  return deleted;
}

afterAll(async () => {
  await deleteUnder(runPrefix);
});

describePortingSourceContract('redis', () => {
  const prefix = `${runPrefix}${counter++}:`;
  return Promise.resolve({ source: new RedisPortingSource({ url: REDIS_URL, prefix }), cleanup: async () => void (await deleteUnder(prefix)) });
});

describe('RedisPortingSource storage layout', () => {
  test('numbers share a hash per 100 (listpack-friendly) and every key carries the prefix', async () => {
    const prefix = `${runPrefix}layout:`;
    const source = new RedisPortingSource({ url: REDIS_URL, prefix });
    const redis = new Redis(REDIS_URL);
    try {
      await source.importRows([Array.from({ length: 250 }, (_, i) => ({ e164: `+8190123${String(i).padStart(5, '0')}`, carrier: 'au' }))]);
      const keys: string[] = [];
      for await (const batch of redis.scanStream({ match: `${prefix}*`, count: 1000 }) as AsyncIterable<string[]>) keys.push(...batch);
      expect(keys.sort()).toEqual([`${prefix}mnp:8190123000`, `${prefix}mnp:8190123001`, `${prefix}mnp:8190123002`]);
      expect(await redis.hlen(`${prefix}mnp:8190123001`)).toBe(100);
    } finally {
      await source.close();
      redis.disconnect();
      await deleteUnder(prefix);
    }
  });

  test('a Redis that does not answer gives the retriable ROUTE_PORTING_UNAVAILABLE', async () => {
    const source = new RedisPortingSource({
      url: 'redis://127.0.0.1:1',
      prefix: runPrefix,
      redisOptions: { maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 500 },
    });
    try {
      await expect(source.get('+819012345678')).rejects.toMatchObject({ code: 'ROUTE_PORTING_UNAVAILABLE', retriable: true });
      await expect(source.getMany(['+819012345678'])).rejects.toMatchObject({ code: 'ROUTE_PORTING_UNAVAILABLE' });
    } finally {
      await source.close();
    }
  });
});
