/**
 * ioredis 5.11.1's auto-pipelining, as the project's patch (patches/ioredis+5.11.1.patch, applied by npm's
 * postinstall) leaves it: when a pipeline's replies come back, each command's promise is settled at once, not
 * through a process.nextTick apiece (about nine per message in the Redis mode). Against a real Redis, so it
 * fails if the patch is missing or no longer applies, and checks the replies and errors still reach the right
 * callers.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { redisTestKeys, type RedisTestKeys } from '../../../support/redis-test-keys.ts';
import { REDIS_URL } from '../../../support/test-backends.ts';

let keys: RedisTestKeys;
let client: Redis;
let prefix: string;

beforeAll(() => {
  keys = redisTestKeys();
  prefix = keys.prefix();
  // As redis-backend.ts opens its clients.
  client = new Redis(REDIS_URL, { enableAutoPipelining: true, maxRetriesPerRequest: 3, keyPrefix: prefix });
});

afterAll(async () => {
  await client.quit();
  await keys.cleanup();
});

/** Counts process.nextTick calls while `run` is under way. */
async function countingTicks<T>(run: () => Promise<T>): Promise<{ result: T; ticks: number }> {
  const original = process.nextTick.bind(process);
  let ticks = 0;
  process.nextTick = ((...args: Parameters<typeof process.nextTick>) => {
    ticks += 1;
    original(...args);
  }) as typeof process.nextTick;
  try {
    const result = await run();
    return { result, ticks };
  } finally {
    process.nextTick = original;
  }
}

test('the commands of one turn go out as one pipeline and each gets its own reply', async () => {
  await client.ping();
  const { result, ticks } = await countingTicks(() =>
    Promise.all(Array.from({ length: 200 }, (_, i) => client.set(`k${i}`, `v${i}`).then(() => client.get(`k${i}`)))),
  );
  expect(result).toEqual(Array.from({ length: 200 }, (_, i) => `v${i}`));
  // Unpatched: at least one tick per command (400 here), besides the socket's own.
  expect(ticks).toBeLessThan(100);
});

test('a command that fails rejects alone; the others of its pipeline resolve', async () => {
  await client.set('text', 'not a list');
  const replies = await Promise.allSettled([client.get('text'), client.lpush('text', 'x'), client.incr('counter'), client.get('missing')]);
  expect(replies[0]).toEqual({ status: 'fulfilled', value: 'not a list' });
  expect(replies[1]).toMatchObject({ status: 'rejected', reason: expect.objectContaining({ message: expect.stringMatching(/WRONGTYPE/) as unknown }) as unknown });
  expect(replies[2]).toEqual({ status: 'fulfilled', value: 1 });
  expect(replies[3]).toEqual({ status: 'fulfilled', value: null });
});
