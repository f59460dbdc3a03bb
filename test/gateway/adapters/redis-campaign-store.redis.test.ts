import { afterAll } from 'vitest';
import { RedisCampaignStore } from '../../../gateway/adapters/redis/redis-campaign-store.ts';
import { redisKeys } from '../../../gateway/adapters/redis/redis-keys.ts';
import { redisTestKeys } from '../../support/redis-test-keys.ts';
import { campaignStoreContract } from './campaign-store.contract.ts';

const testKeys = redisTestKeys();

afterAll(() => testKeys.cleanup());

campaignStoreContract('redis', () => new RedisCampaignStore(testKeys.redis, redisKeys(testKeys.prefix())));
