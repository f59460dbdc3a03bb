/**
 * A dispatch's read of a message on Redis: the process that holds the envelope (it stored the message) asks only
 * for the status and the parts, and its snapshot equals the one another process reads whole.
 */
import { expect, test } from 'vitest';
import { redisKeys } from '../../../../gateway/adapters/redis/redis-keys.ts';
import { RedisMessageStore } from '../../../../gateway/adapters/redis/redis-message-store.ts';
import { commandCountingRedis } from '../../../support/command-counting-redis.ts';
import { makeRecord } from '../message-backend.contract.ts';

const { keys, client, commandsOf } = commandCountingRedis();

const queue = { kind: 'queue' as const, connectorId: 'smsc-a', lane: 'normal' as const, attempt: 0 };

test('the process that stored a message reads its status and parts without the envelope, and sees what another process sees', async () => {
  const names = redisKeys(keys.prefix());
  const writer = new RedisMessageStore(client, names);
  // Another process: it never wrote nor read the message.
  const other = new RedisMessageStore(client, names);
  const record = makeRecord();
  const id = record.envelope.id;
  expect(record.parts.length).toBe(3);
  await writer.insert(record, queue);
  await writer.apply(id, { at: 10, status: 'sending', timeline: [{ at: 10, event: 'sending' }] });
  await writer.apply(id, { at: 11, parts: [{ seq: 2, status: 'submitted', carrierMessageId: 'c2' }], rollUp: true, timeline: [] });

  const held = await commandsOf(() => writer.snapshot(id));
  const read = await commandsOf(() => other.snapshot(id));

  expect(held.sent).toEqual(['hmget']);
  expect(read.sent).toEqual(['hgetall']);
  expect(held.result).toEqual(read.result);
  expect(held.result).toEqual({
    envelope: record.envelope,
    status: 'sending',
    parts: [record.parts[0], { ...record.parts[1], status: 'submitted', carrierMessageId: 'c2' }, record.parts[2]],
  });
});

test('a message gone from Redis has no snapshot, held envelope or not', async () => {
  const names = redisKeys(keys.prefix());
  const writer = new RedisMessageStore(client, names);
  const record = makeRecord({ text: 'one part' });
  await writer.insert(record, queue);
  await client.del(names.message(record.envelope.id));

  const { result, sent } = await commandsOf(() => writer.snapshot(record.envelope.id));

  expect(sent).toEqual(['hmget']);
  expect(result).toBeUndefined();
  expect(await new RedisMessageStore(client, names).snapshot(record.envelope.id)).toBeUndefined();
});
