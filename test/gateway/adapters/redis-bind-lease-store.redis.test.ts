import { afterAll } from 'vitest';
import { RedisBindLeaseStore } from '../../../gateway/adapters/redis/redis-bind-lease-store.ts';
import { redisKeys } from '../../../gateway/adapters/redis/redis-keys.ts';
import { redisTestKeys } from '../../support/redis-test-keys.ts';
import { bindLeaseStoreContract } from './bind-lease-store.contract.ts';

const testKeys = redisTestKeys();

afterAll(() => testKeys.cleanup());

bindLeaseStoreContract('redis', () => new RedisBindLeaseStore(testKeys.redis, redisKeys(testKeys.prefix())));
