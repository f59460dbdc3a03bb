/**
 * Every Redis adapter on a Redis Cluster of three masters: the contract suites the memory and single-Redis
 * adapters pass, unchanged. A script, MULTI or pipeline whose keys spanned two slots would fail here (CROSSSLOT,
 * or ioredis refusing the pipeline), so these runs check redis-keys.ts's hash tags; the tests below check what
 * the contracts cannot see: that the load spreads over the masters, and that scripts survive a flushed cache.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { createRedisBackend } from '../../../gateway/adapters/redis/redis-backend.ts';
import { RedisAutoAckStore } from '../../../gateway/adapters/redis/redis-auto-ack-store.ts';
import { RedisCampaignStore } from '../../../gateway/adapters/redis/redis-campaign-store.ts';
import { redisKeys } from '../../../gateway/adapters/redis/redis-keys.ts';
import { RedisLinkStore } from '../../../gateway/adapters/redis/redis-link-store.ts';
import { RedisOutbox } from '../../../gateway/adapters/redis/redis-outbox.ts';
import { RedisPortingSource } from '../../../gateway/adapters/redis/redis-porting-source.ts';
import { RedisRateCounter } from '../../../gateway/adapters/redis/redis-rate-counter.ts';
import { RedisSuppressionStore } from '../../../gateway/adapters/redis/redis-suppression-store.ts';
import { RedisUsageStore } from '../../../gateway/adapters/redis/redis-usage-store.ts';
import { RedisVerificationStore } from '../../../gateway/adapters/redis/redis-verification-store.ts';
import { describePortingSourceContract } from '../../router/carriers/porting-source-contract.ts';
import { clusterTestKeys, deleteUnder } from '../../support/redis-cluster-test-keys.ts';
import { autoAckStoreContract } from './auto-ack-store.contract.ts';
import { campaignStoreContract } from './campaign-store.contract.ts';
import { linkStoreContract } from './link-store.contract.ts';
import { makeRecord, messageBackendContract } from './message-backend.contract.ts';
import { rateCounterContract } from './rate-counter.contract.ts';
import { entry, suppressionStoreContract } from './suppression-store.contract.ts';
import { usageStoreContract } from './usage-store.contract.ts';
import { verificationStoreContract, verificationSweepContract } from './verification-store.contract.ts';

const testKeys = clusterTestKeys();
const { redis, url } = testKeys;

afterAll(() => testKeys.cleanup());

const keys = () => redisKeys(testKeys.prefix());

messageBackendContract('redis cluster', () => Promise.resolve(createRedisBackend({ url, prefix: testKeys.prefix() })));
autoAckStoreContract('redis cluster', () => new RedisAutoAckStore(redis, keys()));
campaignStoreContract('redis cluster', () => new RedisCampaignStore(redis, keys()));
linkStoreContract('redis cluster', () => new RedisLinkStore(redis, keys()));
rateCounterContract('redis cluster', () => new RedisRateCounter(redis, keys()));
suppressionStoreContract('redis cluster', () => new RedisSuppressionStore(redis, keys()));
usageStoreContract('redis cluster', () => Promise.resolve(new RedisUsageStore(redis, keys())));
verificationStoreContract('redis cluster', () => new RedisVerificationStore(redis, keys()));
verificationSweepContract('redis cluster', () => new RedisVerificationStore(redis, keys()));
describePortingSourceContract('redis cluster', () => {
  const prefix = testKeys.prefix();
  return Promise.resolve({ source: new RedisPortingSource({ url, prefix }), cleanup: async () => void (await deleteUnder(redis, [prefix])) });
});

/** The master (`host:port`) that holds a key's slot. */
async function masterOf(key: string): Promise<string> {
  const slot = Number(await redis.cluster('KEYSLOT', key));
  const master = (await redis.cluster('SLOTS')).find(([from, to]) => slot >= from && slot <= to)?.[2];
  if (master === undefined) throw new Error(`no master holds slot ${slot}`);
  return `${master[0]}:${master[1]}`;
}

describe('redis cluster: keys and slots', () => {
  test('the keys of one call share a slot; accounts, campaigns and verifications spread over the masters', async () => {
    const k = keys();
    const slot = async (key: string) => Number(await redis.cluster('KEYSLOT', key));
    const path = [k.message('m1'), k.timeline('m1'), k.accountIndex('a'), k.idempotency('a', 'x'), k.correlation('c', 'id'), k.routeStream('c', 'normal'), k.schedule, k.receiptWatch, k.consumerLease('w')];
    expect(new Set(await Promise.all(path.map(slot))).size).toBe(1);
    expect(new Set(await Promise.all([k.webhookJobs, k.webhookDue, k.webhookDone('j')].map(slot))).size).toBe(1);
    const account = [k.usage('a', '2026-01-01'), k.usageCounted('a', 'm1'), k.quota('a', 'd:2026-01-01'), k.quota('a', 'm:2026-01'), k.autoAck('a', '+81'), ...Object.values(k.suppressions('a', '+81'))];
    expect(new Set(await Promise.all(account.map(slot))).size).toBe(1);
    const masters = new Set(await Promise.all(Array.from({ length: 24 }, (_, i) => masterOf(k.suppressions(`acct-${i}`, '+81').entries))));
    expect(masters.size).toBe(3);
    const campaigns = new Set(await Promise.all(Array.from({ length: 24 }, (_, i) => masterOf(k.campaign(`c-${i}`).record))));
    expect(campaigns.size).toBe(3);
  });

  test('scripts run again after every master forgot them (SCRIPT FLUSH), each loading them where it runs', async () => {
    const backend = createRedisBackend({ url, prefix: testKeys.prefix() });
    const suppressions = new RedisSuppressionStore(redis, keys());
    try {
      const first = makeRecord();
      expect(await backend.store.insert(first, { kind: 'queue', connectorId: 'smsc-a', lane: 'normal', attempt: 0 })).toMatchObject({ inserted: true });
      for (const node of redis.nodes('master')) await node.script('FLUSH');
      const second = makeRecord();
      expect(await backend.store.insert(second, { kind: 'queue', connectorId: 'smsc-a', lane: 'normal', attempt: 0 })).toMatchObject({ inserted: true });
      // Accounts on every master: the script is loaded on each by its first call there.
      for (let i = 0; i < 12; i++) {
        await suppressions.add(entry({ accountId: `acct-${i}` }));
        expect(await suppressions.remove(`acct-${i}`, entry().number, undefined, { at: 1, action: 'lifted', source: { kind: 'api' } })).toBeDefined();
      }
      expect((await backend.store.get(second.envelope.id))?.envelope.id).toBe(second.envelope.id);
    } finally {
      await backend.close();
    }
  });

  test('the first read of a connector makes its consumer group on the streams\' master, among commands for every master', async () => {
    // XGROUP names no key ioredis can find: sent by the client, auto-pipelining would batch it with the commands
    // of another master, and that batch would come back MOVED.
    const backend = createRedisBackend({ url, prefix: testKeys.prefix() });
    try {
      await backend.ping();
      const others = Array.from({ length: 30 }, (_, i) => backend.suppressions.count(`acct-${i}`));
      const [depth] = await Promise.all([backend.queue.depth('smsc-a'), ...others]);
      expect(depth).toEqual([
        { lane: 'high', waiting: 0, pending: 0 },
        { lane: 'normal', waiting: 0, pending: 0 },
        { lane: 'bulk', waiting: 0, pending: 0 },
      ]);
    } finally {
      await backend.close();
    }
  });

  test('the event outbox keeps its order and one leader on a cluster', async () => {
    const outbox = new RedisOutbox(redis, keys());
    await outbox.append([1, 2, 3].map((n) => ({ topic: 't', key: `k${n}`, value: `v${n}` })));
    const read = await outbox.read(10);
    expect(read.map((row) => row.record.key)).toEqual(['k1', 'k2', 'k3']);
    await outbox.remove(read.slice(0, 2).map((row) => row.id));
    expect(await outbox.size()).toBe(1);
    expect(await outbox.lead('p1', 10_000)).toBe(true);
    expect(await outbox.lead('p2', 10_000)).toBe(false);
  });

  test('the health check answers on a cluster, and a cluster URL with a database is refused before connecting', async () => {
    const backend = createRedisBackend({ url, prefix: testKeys.prefix() });
    try {
      expect(await backend.ping()).toBe(true);
    } finally {
      await backend.close();
    }
    expect(() => createRedisBackend({ url: `${url}/2` })).toThrow(expect.objectContaining({ code: 'GW_INVALID_CONFIG', details: { field: 'REDIS_URL' } }));
  });
});
