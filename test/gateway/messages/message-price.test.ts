import { expect, test } from 'vitest';
import { AcceptService } from '../../../gateway/accept/accept-service.ts';
import { createMemoryBackend } from '../../../gateway/adapters/memory/memory-backend.ts';
import { loadRoutingFile, messagePrice, type MessageRecord } from '../../../gateway/index.ts';
import { RouterHandle } from '../../../router/index.ts';

/** A message accepted on the default routing (jp-least-cost: smpp-aggregator 3.3 and modem-pool 3.0 JPY for au). */
async function accepted(text: string): Promise<MessageRecord> {
  const backend = createMemoryBackend();
  const service = new AcceptService({ router: new RouterHandle(loadRoutingFile(undefined)), store: backend.store, now: () => 0, newId: () => 'm-1' });
  await service.accept({ id: 'demo', defaultCountry: 'JP' }, { to: '090-1234-5678', text });
  const record = await backend.store.get('m-1');
  if (record === undefined) throw new Error('not stored');
  return record;
}

test('the route keeps each connector’s per-segment price and currency on the message', async () => {
  const record = await accepted('hello');
  expect(record.envelope).toMatchObject({ currency: 'JPY' });
  expect(record.envelope.prices).toHaveLength(record.envelope.connectors.length);
  expect(messagePrice(record)).toEqual({ price: 0, segments: 0, currency: 'JPY' });
});

test('each part the carrier accepted is priced on the connector that carried it; refused parts cost nothing', async () => {
  const record = await accepted('あ'.repeat(200));
  const [first, second] = record.envelope.connectors;
  const prices = record.envelope.prices ?? [];
  expect(record.parts).toHaveLength(3);
  const billed: MessageRecord = {
    ...record,
    parts: [
      { seq: 1, status: 'delivered', connectorId: first, carrierMessageId: 'a1' },
      { seq: 2, status: 'delivered', connectorId: second, carrierMessageId: 'b2' },
      { seq: 3, status: 'failed', connectorId: first, error: { code: 'SMPP_SUBMIT_REJECTED', message: 'refused' } },
    ],
  };
  const expected = Math.round(((prices[0] ?? 0) + (prices[1] ?? 0)) * 1e6) / 1e6;
  expect(messagePrice(billed)).toEqual({ price: expected, segments: 2, currency: 'JPY' });
  expect(expected).toBeGreaterThan(0);
});

test('decimal prices add up without binary noise, and a route without prices gives no price', async () => {
  const record = await accepted('あ'.repeat(200));
  const [first = ''] = record.envelope.connectors;
  const threeAt32: MessageRecord = {
    ...record,
    envelope: { ...record.envelope, prices: [3.2] },
    parts: [1, 2, 3].map((seq) => ({ seq, status: 'submitted' as const, connectorId: first, carrierMessageId: `x${seq}` })),
  };
  expect(messagePrice(threeAt32)?.price).toBe(9.6);
  const { prices: _prices, currency: _currency, ...unpriced } = record.envelope;
  expect(messagePrice({ ...record, envelope: unpriced })).toBeUndefined();
});
