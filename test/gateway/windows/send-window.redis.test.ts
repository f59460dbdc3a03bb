/**
 * Send windows on the Redis backend: the deferral is a scheduled placement in Redis (the schedule sorted set), so
 * what waits for the window survives in the shared store and goes out when the window opens; a validity that ends
 * first expires it there too.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { createRedisBackend, redisKeys } from '../../../gateway/index.ts';
import { REDIS_URL } from '../../support/test-backends.ts';
import { jst, stopWindowGateway, windowGateway } from './window-gateway.ts';

const prefix = `smsgw-test:windows:${randomUUID()}:`;
const redisBackend = () => createRedisBackend({ url: REDIS_URL, prefix });

afterEach(stopWindowGateway);

afterAll(async () => {
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

describe('send windows (Redis backend)', () => {
  test('accepted at 21:00 JST: scheduled in Redis for 08:00 and sent then', async () => {
    const { gw, carrier, clock, status } = await windowGateway(jst('2026-01-15T21:00:00'), { backend: redisBackend });
    const accepted = await gw.messages.submit('demo', { to: '09012345678', text: 'morning, via Redis' });
    expect(accepted).toMatchObject({ status: 'scheduled', notBefore: new Date(jst('2026-01-16T08:00:00')).toISOString() });
    const redis = new Redis(REDIS_URL);
    const scheduled = await redis.zrange(redisKeys(prefix).schedule, 0, -1, 'WITHSCORES').finally(() => redis.quit());
    expect(scheduled.filter((_, index) => index % 2 === 1).map(Number)).toContain(jst('2026-01-16T08:00:00'));
    expect((await gw.messages.get('demo', accepted.id)).timeline.at(-1)).toMatchObject({ event: 'deferred', until: jst('2026-01-16T08:00:00') });
    carrier.expectSend({ receipt: 'delivered' });
    clock.now = jst('2026-01-16T08:00:00');
    const record = await status(accepted.id, 'delivered');
    expect(record.timeline.filter((t) => t.event === 'sending').map((t) => t.at)).toEqual([jst('2026-01-16T08:00:00')]);
  });

  test('a validity that ends before the opening expires the message in Redis', async () => {
    const { gw, clock, status } = await windowGateway(jst('2026-01-15T22:00:00'), { backend: redisBackend });
    const accepted = await gw.messages.submit('demo', { to: '09012345678', text: 'gone by morning', validitySeconds: 600 });
    clock.now = jst('2026-01-15T22:10:00');
    const record = await status(accepted.id, 'expired');
    expect(record.parts.map((p) => p.status)).toEqual(['expired']);
  });
});
