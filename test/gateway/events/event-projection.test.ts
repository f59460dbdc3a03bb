/**
 * Which events a store change becomes: with `partEvents: 'multipart'` (Kafka mode's default) a one-part message's
 * part transition that moves the message status too is carried by the message.status event alone; every other
 * part transition, and everything with `all`, is an event of its own.
 */
import { expect, test } from 'vitest';
import { createMemoryBackend } from '../../../gateway/adapters/memory/memory-backend.ts';
import { AccountRegistry } from '../../../gateway/accounts/account-registry.ts';
import { EventProjection } from '../../../gateway/events/event-projection.ts';
import { MemoryEventTransport, type GatewayEvent } from '../../../gateway/index.ts';
import type { MessageChange } from '../../../gateway/messages/message-record.ts';
import { GatewayMetrics } from '../../../gateway/metrics/gateway-metrics.ts';
import { makeRecord } from '../adapters/message-backend.contract.ts';

async function eventsOf(partEvents: 'all' | 'multipart', text: string, changes: readonly MessageChange[]): Promise<string[]> {
  const backend = createMemoryBackend();
  const events = new MemoryEventTransport();
  const seen: GatewayEvent[] = [];
  events.subscribe((event) => seen.push(event));
  const projection = new EventProjection({ events, metrics: new GatewayMetrics({ processMetrics: false }), accounts: new AccountRegistry([]), inbound: backend.inbound, now: () => 1, partEvents });
  const record = makeRecord({ text });
  await backend.store.insert(record, { kind: 'queue', connectorId: 'smsc-a', lane: 'normal', attempt: 0 });
  for (const change of changes) {
    const applied = await backend.store.apply(record.envelope.id, change);
    if (applied !== undefined) await projection.changed(applied, change);
  }
  await new Promise((resolve) => setTimeout(resolve, 0));
  return seen.map((event) => event.id.replace(`${record.envelope.id}:`, ''));
}

const submit = (seqs: readonly number[]): MessageChange => ({ at: 2, parts: seqs.map((seq) => ({ seq, status: 'submitted' as const, carrierMessageId: `c${seq}` })), rollUp: true, timeline: [] });
const deliver = (seq: number): MessageChange => ({ at: 3, parts: [{ seq, status: 'delivered' }], rollUp: true, timeline: [] });
const enroute = (seq: number): MessageChange => ({ at: 3, parts: [{ seq, raw: { stat: 'ENROUTE' } }], rollUp: true, timeline: [] });

test('multipart: a one-part message moving with its part publishes the message.status event alone, which carries the part', async () => {
  expect(await eventsOf('multipart', 'one part', [submit([1]), enroute(1), deliver(1)])).toEqual(['submitted', 'delivered']);
  expect(await eventsOf('all', 'one part', [submit([1]), enroute(1), deliver(1)])).toEqual(['1:submitted', 'submitted', '1:delivered', 'delivered']);
});

test('multipart: a message of several parts keeps an event per part transition', async () => {
  const text = 'x'.repeat(200);
  expect(await eventsOf('multipart', text, [submit([1, 2]), deliver(1), deliver(2)])).toEqual(['1:submitted', '2:submitted', 'submitted', '1:delivered', '2:delivered', 'delivered']);
});

test('multipart: a one-part message whose part moves while the message status stays keeps its part event', async () => {
  const failedForRetry: MessageChange = { at: 2, status: 'queued', parts: [{ seq: 1, status: 'failed' }], timeline: [] };
  // queued -> queued: the message status did not move, so the part's move is an event of its own.
  expect(await eventsOf('multipart', 'one part', [failedForRetry])).toEqual(['1:failed']);
});
