/**
 * The in-process event transport: subscribers get what their filter asks for, after the publisher's turn; a throwing
 * subscriber disturbs nobody; `interested` tells the gateway whether building an event is worth it.
 */
import { expect, test } from 'vitest';
import { MemoryEventTransport, type GatewayEvent } from '../../../gateway/index.ts';

const status = (value: string): GatewayEvent =>
  ({ type: 'message.status', version: 1, id: `m:${value}`, messageId: 'm', accountId: 'a', status: value, at: '2026-11-21T00:00:00.000Z', to: '+819012345678', parts: [], segments: 1 }) as GatewayEvent;

test('filters decide what each subscriber gets and what the transport is interested in', async () => {
  const log = new MemoryEventTransport();
  expect(log.interested('message.status', 'delivered')).toBe(false);
  const finals: string[] = [];
  const everything: string[] = [];
  log.subscribe(() => {
    throw new Error('a broken subscriber');
  }, (type) => type === 'message.inbound');
  const stopFinals = log.subscribe((event) => finals.push(event.id), (type, value) => type === 'message.status' && value === 'delivered');
  expect(log.interested('message.status', 'delivered')).toBe(true);
  expect(log.interested('message.status', 'queued')).toBe(false);
  expect(log.interested('message.part')).toBe(false);
  const published = [log.publish(status('queued')), log.publish(status('delivered'))];
  // Not inside the publisher's own call.
  expect(finals).toEqual([]);
  await Promise.all(published);
  await new Promise((resolve) => setTimeout(resolve, 0));
  expect(finals).toEqual(['m:delivered']);
  log.subscribe((event) => everything.push(event.id));
  expect(log.interested('message.part')).toBe(true);
  stopFinals();
  await log.publish(status('submitted'));
  await new Promise((resolve) => setTimeout(resolve, 0));
  expect(everything).toEqual(['m:submitted']);
  expect(finals).toEqual(['m:delivered']);
});

test('consume: each handler gets the events of its types that it wants, receipts go to the receipt handler, until stopConsuming', async () => {
  const transport = new MemoryEventTransport();
  const seen: string[] = [];
  const receipts: string[] = [];
  await transport.consume({
    receipts: { handle: (batch) => Promise.resolve(void receipts.push(...batch.map((r) => r.carrierMessageId))) },
    events: [{ name: 'finals', types: ['message.status'], wants: (_type, value) => value === 'delivered', handle: (batch) => Promise.resolve(void seen.push(...batch.map((e) => e.id))) }],
  });
  expect(transport.interested('message.status', 'delivered')).toBe(true);
  expect(transport.interested('message.status', 'queued')).toBe(false);
  expect(transport.interested('message.inbound')).toBe(false);
  await transport.publish(status('queued'));
  await transport.publish(status('delivered'));
  await transport.appendReceipt({ connectorId: 'c', carrierMessageId: 'r1', state: 'delivered', final: true, raw: {}, receivedAt: new Date() });
  await new Promise((resolve) => setImmediate(resolve));
  expect(seen).toEqual(['m:delivered']);
  expect(receipts).toEqual(['r1']);
  await transport.stopConsuming();
  expect(transport.interested('message.status', 'delivered')).toBe(false);
  await expect(transport.appendReceipt({ connectorId: 'c', carrierMessageId: 'r2', state: 'delivered', final: true, raw: {}, receivedAt: new Date() })).rejects.toMatchObject({
    code: 'GW_EVENTS_UNAVAILABLE',
  });
});
