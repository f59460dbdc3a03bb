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
