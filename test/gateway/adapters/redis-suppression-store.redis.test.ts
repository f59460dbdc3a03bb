import { afterAll } from 'vitest';
import { RedisSuppressionStore } from '../../../gateway/adapters/redis/redis-suppression-store.ts';
import { redisKeys } from '../../../gateway/adapters/redis/redis-keys.ts';
import { suppressionStoreContract } from './suppression-store.contract.ts';
import { redisTestKeys } from '../../support/redis-test-keys.ts';

const testKeys = redisTestKeys();
const { redis } = testKeys;

afterAll(() => testKeys.cleanup());

suppressionStoreContract('redis', () => {
  const prefix = testKeys.prefix();
  return new RedisSuppressionStore(redis, redisKeys(prefix));
});
