import { afterAll } from 'vitest';
import { redisKeys } from '../../../gateway/adapters/redis/redis-keys.ts';
import { RedisRateCounter } from '../../../gateway/adapters/redis/redis-rate-counter.ts';
import { rateCounterContract } from './rate-counter.contract.ts';
import { redisTestKeys } from '../../support/redis-test-keys.ts';

const testKeys = redisTestKeys();
const { redis } = testKeys;

afterAll(() => testKeys.cleanup());

rateCounterContract('redis', () => {
  const prefix = testKeys.prefix();
  return new RedisRateCounter(redis, redisKeys(prefix));
});

