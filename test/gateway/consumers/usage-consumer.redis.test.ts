/**
 * Usage from the events topic into Redis: a message counts once (messages and segments) on the day it first
 * reached the carrier, whatever replays or later statuses follow; part events, unbilled statuses and unreadable
 * records count nothing (the records are read as the Kafka transport reads them); the report gives every day of
 * the range.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, expect, test } from 'vitest';
import { redisKeys } from '../../../gateway/index.ts';
import { RedisUsage } from '../../../gateway/adapters/redis/redis-usage.ts';
import { UsageConsumer } from '../../../gateway/consumers/usage-consumer.ts';
import { eventsFor } from '../../../gateway/adapters/kafka/event-records.ts';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const prefix = `smsgw-test:${randomBytes(4).toString('hex')}:`;

afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

const status = (messageId: string, value: string, at: string, segments = 3) => ({
  key: messageId,
  value: JSON.stringify({ type: 'message.status', version: 1, id: `${messageId}:${value}`, messageId, accountId: 'shop', status: value, at, to: '+819012345678', parts: [], segments }),
});

test('each message counts once, on the day it first reached the carrier', async () => {
  const usage = new RedisUsage(redis, redisKeys(prefix));
  const consumer = new UsageConsumer(usage);
  const batch = [
    status('m1', 'accepted', '2026-11-20T23:59:58Z'),
    status('m1', 'submitted', '2026-11-20T23:59:59Z'),
    { key: 'm1', value: JSON.stringify({ type: 'message.part', version: 1, id: 'm1:1:delivered', messageId: 'm1', seq: 1, status: 'delivered', at: '2026-11-21T00:00:01Z' }) },
    status('m1', 'delivered', '2026-11-21T00:00:02Z'),
    status('m2', 'delivered', '2026-11-21T08:00:00Z', 1),
    status('m3', 'failed', '2026-11-21T08:00:00Z'),
    { key: 'x', value: 'not json' },
  ];
  const events = eventsFor(consumer, batch.map((record) => record.value));
  expect(events.map((event) => event.id)).toEqual(['m1:submitted', 'm1:delivered', 'm2:delivered']);
  expect(await consumer.count(events)).toBe(2);
  // The same records again (a consumer that crashed before committing): nothing more.
  expect(await consumer.count(events)).toBe(0);
  expect(await usage.report('shop', '2026-11-19', '2026-11-21')).toEqual([
    { day: '2026-11-19', messages: 0, segments: 0 },
    { day: '2026-11-20', messages: 1, segments: 3 },
    { day: '2026-11-21', messages: 1, segments: 1 },
  ]);
  expect(await usage.report('other', '2026-11-21', '2026-11-21')).toEqual([{ day: '2026-11-21', messages: 0, segments: 0 }]);
});
