/**
 * Reading event records back: a status record's status is read without parsing (so a handler skips the statuses
 * it does not want unparsed), and it is the status the record holds, whatever its strings contain.
 */
import { expect, test } from 'vitest';
import { eventsFor, eventsForEach, peekStatus } from '../../../../gateway/adapters/kafka/event-records.ts';
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

/** What `read` returns, and how many times it called JSON.parse. */
function countingParses<T>(read: () => T): { readonly result: T; readonly parsed: number } {
  let parsed = 0;
  const original = JSON.parse;
  JSON.parse = ((text: string, reviver?: Parameters<typeof JSON.parse>[1]) => {
    parsed += 1;
    return original(text, reviver) as unknown;
  }) as typeof JSON.parse;
  try {
    return { result: read(), parsed };
  } finally {
    JSON.parse = original;
  }
}

test('a handler gets the status events it wants, parsed; the others are skipped, and so is what is no event', () => {
  const values = ['accepted', 'queued', 'submitted', 'delivered'].map((status) => JSON.stringify(statusEvent({ ...tricky, status: status as 'queued' }, 1)));
  const { result: events, parsed } = countingParses(() => eventsFor({ types: ['message.status'], wants: (_type, status) => status === 'delivered' || status === 'submitted' }, [...values, 'not json', undefined]));
  expect(events.map((event) => event.type === 'message.status' && event.status)).toEqual(['submitted', 'delivered']);
  // accepted and queued were never parsed; 'not json' was tried and skipped.
  expect(parsed).toBe(3);
});

test('several handlers: each gets the events it reads and wants, in order, and a record is parsed once whoever wants it', () => {
  const statuses = ['accepted', 'queued', 'submitted', 'delivered'] as const;
  const values = statuses.map((status) => JSON.stringify(statusEvent({ ...tricky, status }, 1)));
  const part = '{"type":"message.part","version":1,"id":"p1","messageId":"m1","partIndex":0,"status":"submitted"}';
  const { result: lists, parsed } = countingParses(() =>
    eventsForEach(
      [
        { types: ['message.status'], wants: (_type, status) => status === 'delivered' },
        { types: ['message.status'], wants: (_type, status) => status === 'submitted' || status === 'delivered' },
        { types: ['message.inbound'] },
      ],
      [...values, part, 'not json'],
    ),
  );
  const statusesOf = (events: GatewayEvent[] | undefined) => events?.map((event) => (event.type === 'message.status' ? event.status : event.type));
  expect(statusesOf(lists[0])).toEqual(['delivered']);
  expect(statusesOf(lists[1])).toEqual(['submitted', 'delivered']);
  expect(lists[2]).toEqual([]);
  // The inbound handler wants every status by its filter (it has none), so each status record is parsed, once;
  // the part record is skipped unparsed (no handler reads parts), 'not json' is tried.
  expect(parsed).toBe(5);
  // Two handlers that skip accepted and queued by status: those two are never parsed.
  const narrow = countingParses(() =>
    eventsForEach([{ types: ['message.status'], wants: (_type, status) => status === 'delivered' }, { types: ['message.status'], wants: (_type, status) => status === 'submitted' }], values),
  );
  expect(narrow.parsed).toBe(2);
});
