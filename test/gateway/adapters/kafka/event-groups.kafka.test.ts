/**
 * Event groups on a real broker: the event handlers read in one group (shared) or one each (separate), and a group
 * joined for the first time after a change starts where its roles stood, not at the beginning of the topic; a group
 * left behind by an earlier change moves forward. Each step's handlers must see exactly the records published
 * since the last step: a group that started at the beginning would see the earlier ones again, and within a
 * partition those come first, so they would have arrived by the time the new ones have.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { createRedisBackend, KafkaEventTransport, kafkaSettings, type EventGroupsMode, type RedisBackend } from '../../../../gateway/index.ts';
import { statusEvent, type GatewayEvent } from '../../../../gateway/events/gateway-event.ts';
import type { EventHandler } from '../../../../gateway/ports/event-transport.ts';
import { waitFor } from '../../../support/wait-for.ts';
import { makeRecord } from '../message-backend.contract.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const tag = randomBytes(4).toString('hex');
const prefix = `eg-test-${tag}`;
const redisPrefix = `smsgw-test:eg:${tag}:`;
let backend: RedisBackend;
let published = 0;

beforeAll(() => {
  backend = createRedisBackend({ url: REDIS_URL, prefix: redisPrefix });
});

afterAll(async () => {
  await backend.close();
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${redisPrefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
  const admin = new Kafka({ clientId: `eg-${tag}`, brokers: [...inject('kafkaBrokers')], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  const { groups } = await admin.listGroups();
  await admin.deleteGroups(groups.map((group) => group.groupId).filter((id) => id.startsWith(`${prefix}.`))).catch(() => undefined);
  await admin.deleteTopics({ topics: (await admin.listTopics()).filter((topic) => topic.endsWith(`.${tag}`)) }).catch(() => undefined);
  await admin.disconnect();
});

function transport(eventGroups: EventGroupsMode): Promise<KafkaEventTransport> {
  const topic = (name: string) => `${name}.${tag}`;
  return KafkaEventTransport.create({
    settings: kafkaSettings({
      brokers: inject('kafkaBrokers'),
      clientId: `eg-${tag}`,
      groupPrefix: prefix,
      eventGroups,
      partitions: 3,
      topics: {
        receipts: topic('sms.receipts'),
        events: topic('sms.events'),
        inbound: topic('sms.inbound'),
        unmatched: topic('sms.receipts.unmatched'),
        suppressions: topic('sms.suppressions'),
        verifications: topic('sms.verifications'),
        campaigns: topic('sms.campaigns'),
      },
    }),
    sessionTimeoutMs: 6_000,
    outbox: backend.outbox,
    owner: `eg-${tag}`,
  });
}

function handler(name: string): EventHandler & { readonly seen: string[] } {
  const seen: string[] = [];
  return { name, types: ['message.status'], seen, handle: (events: readonly GatewayEvent[]) => Promise.resolve(void seen.push(...events.map((event) => event.id))) };
}

/** Publishes `count` status events of new messages; their ids. */
async function publish(through: KafkaEventTransport, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const event = statusEvent({ ...makeRecord({ id: `msg-${tag}-${published++}` }), status: 'delivered' }, Date.UTC(2026, 11, 6));
    await through.publish(event);
    ids.push(event.id);
  }
  return ids;
}

async function groupIds(): Promise<string[]> {
  const admin = new Kafka({ clientId: `eg-${tag}`, brokers: [...inject('kafkaBrokers')], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    return (await admin.listGroups()).groups.map((group) => group.groupId).filter((id) => id.startsWith(`${prefix}.`)).sort();
  } finally {
    await admin.disconnect();
  }
}

async function seenAll(handlers: readonly { readonly seen: string[] }[], ids: readonly string[]): Promise<void> {
  await waitFor(() => (handlers.every((h) => ids.every((id) => h.seen.includes(id))) ? true : undefined), `${ids.length} events in every handler`, 60_000);
}

test('separate, then shared, then separate again: each group starts where its roles stood, never at the beginning', { timeout: 180_000 }, async () => {
  // Separate groups read the first records.
  const first = await transport('separate');
  const [alpha, beta] = [handler('alpha'), handler('beta')];
  await first.consume({ events: [alpha, beta] });
  const a = await publish(first, 20);
  await seenAll([alpha, beta], a);
  await first.stopConsuming();
  expect(await groupIds()).toEqual([`${prefix}.alpha`, `${prefix}.beta`]);

  // Records published while no group runs, then a shared group for both roles: those records and nothing older.
  const b = await publish(first, 15);
  await first.close();
  const second = await transport('shared');
  const [alpha2, beta2] = [handler('alpha'), handler('beta')];
  await second.consume({ events: [alpha2, beta2] });
  await seenAll([alpha2, beta2], b);
  expect(alpha2.seen.sort()).toEqual([...b].sort());
  expect(beta2.seen.sort()).toEqual([...b].sort());
  const c = await publish(second, 10);
  await seenAll([alpha2, beta2], c);
  await second.stopConsuming();
  expect(await groupIds()).toEqual([`${prefix}.alpha`, `${prefix}.alpha+beta`, `${prefix}.beta`]);

  // Back to a group of its own: alpha's old group stands where the first step left it, behind the shared group,
  // and moves forward to it; only what is published now reaches it.
  await second.close();
  const third = await transport('separate');
  const alpha3 = handler('alpha');
  await third.consume({ events: [alpha3] });
  const d = await publish(third, 5);
  await seenAll([alpha3], d);
  expect(alpha3.seen.sort()).toEqual([...d].sort());
  await third.close();
});

test('shared: a handler that fails fails the batch for the group; it is read again, and the others see it twice', { timeout: 120_000 }, async () => {
  const through = await transport('shared');
  const alpha = handler('gamma');
  let failures = 0;
  const beta = handler('delta');
  const failing: EventHandler = {
    ...beta,
    handle: (events, heartbeat) => (failures++ === 0 ? Promise.reject(new Error('store away')) : beta.handle(events, heartbeat)),
  };
  try {
    await through.consume({ events: [alpha, failing] });
    const ids = await publish(through, 10);
    await seenAll([alpha, beta], ids);
    // New roles: the group starts at the beginning, so the first test's records come too; these are the ones counted.
    const ours = (seen: readonly string[]) => seen.filter((id) => ids.includes(id));
    expect(failures).toBeGreaterThan(1);
    expect(new Set(ours(beta.seen)).size).toBe(10);
    // The batch beta failed had reached alpha too, and came back to both.
    expect(alpha.seen.length).toBeGreaterThan(new Set(alpha.seen).size);
  } finally {
    await through.close();
  }
});
