import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, expect, test } from 'vitest';
import { createRedisBackend } from '../../../gateway/adapters/redis/redis-backend.ts';
import { redisKeys } from '../../../gateway/adapters/redis/redis-keys.ts';
import { makeRecord, messageBackendContract } from './message-backend.contract.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefixes: string[] = [];

afterAll(async () => {
  const redis = new Redis(REDIS_URL);
  for (const prefix of prefixes) {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  }
  await redis.quit();
});

messageBackendContract('redis', () => {
  const prefix = `smsgw-test:${randomUUID()}:`;
  prefixes.push(prefix);
  return Promise.resolve(createRedisBackend({ url: REDIS_URL, prefix }));
});

test('an idempotency key stored before fingerprints (a bare message id) answers that message and never conflicts', async () => {
  const prefix = `smsgw-test:${randomUUID()}:`;
  prefixes.push(prefix);
  const backend = createRedisBackend({ url: REDIS_URL, prefix });
  const redis = new Redis(REDIS_URL);
  try {
    await redis.set(redisKeys(prefix).idempotency('acct-a', 'old-key'), 'msg-old', 'PX', 60_000);
    const claim = { accountId: 'acct-a', key: 'old-key', ttlMs: 60_000, fingerprint: 'f-1' };
    expect(await backend.store.insert(makeRecord(), { kind: 'queue', connectorId: 'smsc-a', lane: 'normal', attempt: 0 }, claim)).toEqual({ inserted: false, id: 'msg-old', conflict: false });
    expect(await backend.store.claimIdempotency(claim)).toEqual({ claimed: false, conflict: false });
  } finally {
    await redis.quit();
    await backend.close();
  }
});

test('a status change answers the envelope alike whether this process holds it or another process stored the message', async () => {
  const prefix = `smsgw-test:${randomUUID()}:`;
  prefixes.push(prefix);
  const writer = createRedisBackend({ url: REDIS_URL, prefix });
  // Another process: it never wrote nor read the message, so its status change must bring the envelope from Redis.
  const other = createRedisBackend({ url: REDIS_URL, prefix });
  try {
    const record = makeRecord({ text: 'one part' });
    const id = record.envelope.id;
    await writer.store.insert(record, { kind: 'queue', connectorId: 'smsc-a', lane: 'normal', attempt: 0 });
    const sending = await writer.store.apply(id, { at: 10, status: 'sending', timeline: [{ at: 10, event: 'sending' }] });
    expect(sending?.record).toEqual({ envelope: record.envelope, status: 'sending', parts: record.parts });
    const submitted = await other.store.apply(id, { at: 11, parts: [{ seq: 1, status: 'submitted', carrierMessageId: 'c1' }], rollUp: true, timeline: [] });
    expect(submitted?.record?.envelope).toEqual(record.envelope);
    expect(submitted?.record?.parts).toEqual([{ ...record.parts[0], status: 'submitted', carrierMessageId: 'c1' }]);
    expect(submitted?.record).not.toHaveProperty('timeline');
    // A change that moves no status ships no message at all.
    const same = await other.store.apply(id, { at: 12, parts: [{ seq: 1, raw: { stat: 'ENROUTE' } }], timeline: [] });
    expect(same).toEqual({ id, previousStatus: 'submitted', status: 'submitted', movedParts: [] });
    expect((await writer.store.get(id))?.timeline.map((entry) => entry.event)).toEqual(['accepted', 'queued', 'sending', 'submitted']);
  } finally {
    await writer.close();
    await other.close();
  }
});
