/**
 * Usage from status events (read as the Kafka transport reads them): a message is billed once, on the local day it
 * first reached the carrier, under its carrier and the connector that carried it, with its price; it counts once
 * more under its final status; replays and unbilled statuses add nothing; the report groups by every dimension.
 */
import { expect, test } from 'vitest';
import { eventsFor } from '../../../gateway/adapters/kafka/event-records.ts';
import { UsageConsumer } from '../../../gateway/consumers/usage-consumer.ts';
import { MemoryUsageStore, UsageCalendar, UsageService, type UsageGroup } from '../../../gateway/index.ts';

const status = (messageId: string, value: string, at: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ type: 'message.status', version: 1, id: `${messageId}:${value}`, messageId, accountId: 'shop', status: value, at, to: '+819012345678', parts: [], segments: 3, ...extra });
const carried = (connector: string) => [{ seq: 1, status: 'submitted', connector, smscMessageId: 'c-1' }];

function setUp(timeZone = 'UTC') {
  const store = new MemoryUsageStore();
  const calendar = new UsageCalendar(timeZone);
  const consumer = new UsageConsumer(store, calendar);
  const usage = new UsageService(store, calendar);
  const records = [
    status('m1', 'accepted', '2026-11-20T14:59:58Z'),
    status('m1', 'submitted', '2026-11-20T14:59:59Z', { carrier: 'au', parts: carried('smsc-a'), price: 9.9, currency: 'JPY' }),
    JSON.stringify({ type: 'message.part', version: 1, id: 'm1:1:delivered', messageId: 'm1', seq: 1, status: 'delivered', at: '2026-11-21T00:00:01Z' }),
    status('m1', 'delivered', '2026-11-20T15:00:02Z', { carrier: 'au', parts: carried('smsc-a'), price: 9.9, currency: 'JPY' }),
    status('m2', 'delivered', '2026-11-21T08:00:00Z', { carrier: 'docomo', parts: carried('smsc-b'), segments: 1, price: 3.3, currency: 'JPY' }),
    // Failed before any part reached a carrier: not billed, but counted under its final status.
    status('m3', 'failed', '2026-11-21T08:00:00Z', { carrier: 'au', segments: 2 }),
    // Failed after a part reached the carrier: billed at its final event.
    status('m4', 'failed', '2026-11-21T09:00:00Z', { carrier: 'au', parts: carried('smsc-a'), segments: 1 }),
    'not json',
  ];
  return { consumer, usage, events: eventsFor(consumer, records) };
}

const report = (usage: UsageService, groupBy: UsageGroup, from = '2026-11-19', to = '2026-11-21') => usage.report({ accountId: 'shop', from, to, groupBy });

test('each message is billed once, and counted once under its final status, whatever replays come', async () => {
  const { consumer, usage, events } = setUp();
  expect(events.map((event) => event.id)).toEqual(['m1:submitted', 'm1:delivered', 'm2:delivered', 'm3:failed', 'm4:failed']);
  expect(await consumer.count(events)).toBe(3);
  // The same records again (a consumer that crashed before committing): nothing more.
  expect(await consumer.count(events)).toBe(0);
  const byDay = await report(usage, 'day');
  expect(byDay.rows).toEqual([
    { key: '2026-11-19', messages: 0, segments: 0 },
    { key: '2026-11-20', messages: 1, segments: 3, price: { JPY: 9.9 } },
    { key: '2026-11-21', messages: 2, segments: 2, price: { JPY: 3.3 } },
  ]);
  expect(byDay.total).toEqual({ messages: 3, segments: 5, price: { JPY: 13.2 } });
  expect((await report(usage, 'month')).rows).toEqual([{ key: '2026-11', messages: 3, segments: 5, price: { JPY: 13.2 } }]);
  expect((await report(usage, 'carrier')).rows).toEqual([
    { key: 'au', messages: 2, segments: 4, price: { JPY: 9.9 } },
    { key: 'docomo', messages: 1, segments: 1, price: { JPY: 3.3 } },
  ]);
  expect((await report(usage, 'connector')).rows).toEqual([
    { key: 'smsc-a', messages: 2, segments: 4, price: { JPY: 9.9 } },
    { key: 'smsc-b', messages: 1, segments: 1, price: { JPY: 3.3 } },
  ]);
  expect((await report(usage, 'status')).rows).toEqual([
    { key: 'delivered', messages: 2, segments: 4, price: { JPY: 13.2 } },
    { key: 'failed', messages: 2, segments: 3 },
  ]);
});

test('days are local days of usage.timeZone: 14:59:59Z is the 20th in UTC and still the 20th in JST until 15:00Z', async () => {
  const { consumer, usage, events } = setUp('Asia/Tokyo');
  await consumer.count(events);
  const byDay = await report(usage, 'day', '2026-11-20', '2026-11-21');
  expect(byDay.timeZone).toBe('Asia/Tokyo');
  expect(byDay.rows.map((row) => [row.key, row.messages])).toEqual([
    ['2026-11-20', 1],
    ['2026-11-21', 2],
  ]);
  // The delivered event of m1 came at 15:00:02Z, the 21st in JST: its final status counts there.
  expect((await report(usage, 'status', '2026-11-21', '2026-11-21')).rows).toEqual([
    { key: 'delivered', messages: 2, segments: 4, price: { JPY: 13.2 } },
    { key: 'failed', messages: 2, segments: 3 },
  ]);
});

test.each([
  ['2026-02-30', '2026-03-01', 'from'],
  ['2026-03-01', '2026-3-2', 'to'],
  ['2026-03-02', '2026-03-01', 'from'],
  ['2025-01-01', '2026-01-02', 'to'],
])('a range %s..%s is refused naming %s', async (from, to, field) => {
  const { usage } = setUp();
  await expect(usage.report({ accountId: 'shop', from, to, groupBy: 'day' })).rejects.toMatchObject({ code: 'GW_INVALID_USAGE_QUERY', details: { field } });
});

test('366 days is the longest range', async () => {
  const { usage } = setUp();
  expect((await usage.report({ accountId: 'shop', from: '2024-01-01', to: '2024-12-31', groupBy: 'day' })).rows).toHaveLength(366);
});
