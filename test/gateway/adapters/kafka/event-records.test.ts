/**
 * Reading event records back: a status record's status is read without parsing (so a handler skips the statuses
 * it does not want unparsed), and it is the status the record holds, whatever its strings contain.
 */
import { expect, test } from 'vitest';
import { eventsFor, peekStatus } from '../../../../gateway/adapters/kafka/event-records.ts';
import { statusEvent, type GatewayEvent } from '../../../../gateway/events/gateway-event.ts';
import { makeRecord } from '../message-backend.contract.ts';

const tricky = { ...makeRecord({ text: 'one part', clientRef: 'ref ,"status":"delivered" and "quotes"' }), status: 'queued' as const };

test('the peeked status is the record\'s own, even with a clientRef that spells another', () => {
  for (const status of ['accepted', 'queued', 'sending', 'submitted', 'delivered'] as const) {
    const value = JSON.stringify(statusEvent({ ...tricky, status }, 1));
    expect(peekStatus(value)).toBe(status);
    expect((JSON.parse(value) as { status: string }).status).toBe(status);
  }
  expect(peekStatus('{"type":"message.part","status":"x"}')).toBeUndefined();
  expect(peekStatus('{"type":"message.status"')).toBeUndefined();
  expect(peekStatus(undefined)).toBeUndefined();
});

test('a handler gets the status events it wants, parsed; the others are skipped, and so is what is no event', () => {
  const values = ['accepted', 'queued', 'submitted', 'delivered'].map((status) => JSON.stringify(statusEvent({ ...tricky, status: status as 'queued' }, 1)));
  let parsed = 0;
  const original = JSON.parse;
  JSON.parse = ((text: string, reviver?: Parameters<typeof JSON.parse>[1]) => {
    parsed += 1;
    return original(text, reviver) as unknown;
  }) as typeof JSON.parse;
  let events: GatewayEvent[];
  try {
    events = eventsFor({ types: ['message.status'], wants: (_type, status) => status === 'delivered' || status === 'submitted' }, [...values, 'not json', undefined]);
  } finally {
    JSON.parse = original;
  }
  expect(events.map((event) => event.type === 'message.status' && event.status)).toEqual(['submitted', 'delivered']);
  // accepted and queued were never parsed; 'not json' was tried and skipped.
  expect(parsed).toBe(3);
});
