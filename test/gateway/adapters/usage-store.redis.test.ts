import { afterAll } from 'vitest';
import { RedisUsageStore, redisKeys } from '../../../gateway/index.ts';
import { usageStoreContract } from './usage-store.contract.ts';
import { redisTestKeys } from '../../support/redis-test-keys.ts';

const testKeys = redisTestKeys();
const { redis } = testKeys;

afterAll(() => testKeys.cleanup());

usageStoreContract('redis', () => {
  const prefix = testKeys.prefix();
  return Promise.resolve(new RedisUsageStore(redis, redisKeys(prefix)));
});
