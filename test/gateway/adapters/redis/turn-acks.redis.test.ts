/**
 * The route queue's acknowledgements against a real Redis: the entries acknowledged in one turn go out as one XACK
 * and one XDEL per stream (counted at the client), every entry ends acknowledged and deleted, and a stream whose
 * commands fail rejects its own callers only.
 */
import { expect, test } from 'vitest';
import { redisKeys } from '../../../../gateway/adapters/redis/redis-keys.ts';
import { DISPATCH_GROUP, RedisRouteQueue } from '../../../../gateway/adapters/redis/redis-route-queue.ts';
import type { QueueEntry } from '../../../../gateway/ports/route-queue.ts';
import { commandCountingRedis } from '../../../support/command-counting-redis.ts';

const { keys, client, commandsOf } = commandCountingRedis();

async function readAll(queue: RedisRouteQueue, connectorId: string, count: number): Promise<readonly QueueEntry[]> {
  const entries = await queue.read(connectorId, 'worker-1', count, 0);
  expect(entries).toHaveLength(count);
  return entries;
}

test('the entries acknowledged in one turn take one XACK and one XDEL per stream, and all end deleted', async () => {
  const prefix = keys.prefix();
  const names = redisKeys(prefix);
  const queue = new RedisRouteQueue(client, names);
  for (let i = 0; i < 60; i += 1) await queue.enqueue('smsc-a', i % 3 === 0 ? 'high' : 'normal', { messageId: `m${i}`, attempt: 0 });
  const entries = await readAll(queue, 'smsc-a', 60);

  // One call per entry, as dispatch workers acknowledge, all from the same turn.
  const { sent } = await commandsOf(() => Promise.all(entries.map((entry) => queue.ack('smsc-a', [entry]))));

  expect(sent.filter((name) => name === 'xack')).toHaveLength(2);
  expect(sent.filter((name) => name === 'xdel')).toHaveLength(2);
  for (const lane of ['high', 'normal'] as const) {
    expect(await client.xlen(names.routeStream('smsc-a', lane))).toBe(0);
    expect(((await client.xpending(names.routeStream('smsc-a', lane), DISPATCH_GROUP)) as [number])[0]).toBe(0);
  }
  expect(await queue.depth('smsc-a')).toEqual([
    { lane: 'high', waiting: 0, pending: 0 },
    { lane: 'normal', waiting: 0, pending: 0 },
    { lane: 'bulk', waiting: 0, pending: 0 },
  ]);
  await queue.close();
});

test('acknowledgements of later turns go out in later commands, and one call may name entries of several lanes', async () => {
  const prefix = keys.prefix();
  const names = redisKeys(prefix);
  const queue = new RedisRouteQueue(client, names);
  for (let i = 0; i < 4; i += 1) await queue.enqueue('smsc-a', i < 2 ? 'bulk' : 'normal', { messageId: `m${i}`, attempt: 0 });
  const entries = await readAll(queue, 'smsc-a', 4);
  const [first, ...rest] = entries as [QueueEntry, ...QueueEntry[]];

  const { sent } = await commandsOf(async () => {
    await queue.ack('smsc-a', [first]);
    // Nothing of the first turn is left to send with the second.
    await queue.ack('smsc-a', rest);
  });

  // The first turn: one stream; the second: both lanes the rest spans.
  expect(sent.filter((name) => name === 'xack')).toHaveLength(3);
  expect(await client.xlen(names.routeStream('smsc-a', 'bulk'))).toBe(0);
  expect(await client.xlen(names.routeStream('smsc-a', 'normal'))).toBe(0);
  await queue.ack('smsc-a', []);
  await queue.close();
});

test('when one stream cannot be acknowledged, its callers reject and the other stream of the turn is acknowledged', async () => {
  const prefix = keys.prefix();
  const names = redisKeys(prefix);
  const queue = new RedisRouteQueue(client, names);
  await queue.enqueue('smsc-a', 'normal', { messageId: 'm1', attempt: 0 });
  const [good] = await readAll(queue, 'smsc-a', 1);
  // Not a stream: XACK answers WRONGTYPE.
  await client.set(names.routeStream('smsc-b', 'normal'), 'not a stream');
  const bad = { entryId: '1-1', lane: 'normal' as const };

  const outcomes = await Promise.allSettled([
    queue.ack('smsc-a', [good as QueueEntry]),
    queue.ack('smsc-b', [bad]),
    queue.ack('smsc-b', [{ entryId: '1-2', lane: 'normal' }]),
  ]);

  expect(outcomes[0]).toEqual({ status: 'fulfilled', value: undefined });
  for (const outcome of outcomes.slice(1)) {
    expect(outcome).toMatchObject({ status: 'rejected', reason: expect.objectContaining({ message: expect.stringMatching(/WRONGTYPE/) as unknown }) as unknown });
  }
  expect(await client.xlen(names.routeStream('smsc-a', 'normal'))).toBe(0);
  await queue.close();
});
