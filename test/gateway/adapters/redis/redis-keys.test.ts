/**
 * The hash tags of redis-keys.ts: the keys one script, MULTI or multi-key command touches share a tag, so a Redis
 * Cluster holds them on one slot (redis-adapters.cluster.test.ts runs the adapters on a real cluster).
 */
import { describe, expect, test } from 'vitest';
import { redisKeys } from '../../../../gateway/adapters/redis/redis-keys.ts';

/** The part of a key Redis Cluster hashes: the text inside the first `{…}` when not empty, else the whole key. */
function hashed(key: string): string {
  const open = key.indexOf('{');
  const close = open < 0 ? -1 : key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : key;
}

describe('redisKeys hash tags', () => {
  const keys = redisKeys('smsgw:');

  test.each([
    ['the message path (accept, status change, schedule move, dispatch read, reclaim)', [
      keys.message('m1'), keys.timeline('m1'), keys.message('m2'), keys.accountIndex('a'), keys.accountIndex('b'), keys.idempotency('a', 'k'),
      keys.correlation('smsc-a', 'c1'), keys.routeStream('smsc-a', 'high'), keys.routeStream('smsc-b', 'normal'), keys.schedule, keys.receiptWatch,
      keys.consumerLease('w1'),
    ], 'm'],
    ['the webhook queue', [keys.webhookJobs, keys.webhookDue, keys.webhookDone('j1')], 'wh'],
    ['one account', [
      keys.usage('acct-a', '2026-01-01'), keys.usageCounted('acct-a', 'm1:delivered'), keys.quota('acct-a', 'd:2026-01-01'), keys.quota('acct-a', 'm:2026-01'),
      keys.autoAck('acct-a', '+819012345678'), ...Object.values(keys.suppressions('acct-a', '+819012345678')),
    ], 'acct-a'],
    ['one campaign', Object.values(keys.campaign('c1')), 'c1'],
    ['one verification', [keys.verification('abcdef12-rest', 'abcdef12'), keys.verificationIndex('abcdef12', 'acct-a', '+819012345678')], 'abcdef12'],
  ])('%s share one tag', (_what, group, tag) => {
    expect(new Set(group.map(hashed))).toEqual(new Set([tag]));
  });

  test('keys only ever touched alone carry no tag, so they spread by key', () => {
    for (const key of [keys.link('Abc'), keys.rate('v:n:+81', 60_000), keys.inbound('acct-a'), keys.outbox, keys.outboxLead, keys.campaignIndex('a'), keys.campaignsActive, keys.verificationDue, keys.mnpSlot('+819012345678').key]) {
      expect(hashed(key)).toBe(key);
    }
  });

  test.each(['smsgw{x}:', 'a{', 'b}', 'two words:', 'glob*:'])('the prefix %j is refused with GW_INVALID_CONFIG naming REDIS_PREFIX', (prefix) => {
    expect(() => redisKeys(prefix)).toThrow(expect.objectContaining({ code: 'GW_INVALID_CONFIG', details: { field: 'REDIS_PREFIX' } }));
  });
});
