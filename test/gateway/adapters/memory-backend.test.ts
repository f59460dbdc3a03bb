import { describe, expect, test } from 'vitest';
import { createMemoryBackend } from '../../../gateway/adapters/memory/memory-backend.ts';
import { makeRecord, messageBackendContract } from './message-backend.contract.ts';

messageBackendContract('memory', () => Promise.resolve(createMemoryBackend()));

describe('memory backend bounds', () => {
  test('beyond maxRecords the oldest final messages go, in the order they became final; messages on their way stay', async () => {
    const backend = createMemoryBackend({ maxRecords: 10 });
    const queue = { kind: 'queue', connectorId: 'smsc', lane: 'normal', attempt: 0 } as const;
    const records = Array.from({ length: 30 }, () => makeRecord({ text: 'hi' }));
    for (const record of records) await backend.store.insert(record, queue);
    // A backlog larger than the bound: nothing is final, nothing may go.
    expect((await Promise.all(records.map((r) => backend.store.get(r.envelope.id)))).every(Boolean)).toBe(true);
    // Finished in reverse order of arrival: eviction follows the finishing order.
    for (const record of [...records].reverse().slice(0, 25)) await backend.store.apply(record.envelope.id, { at: 1, status: 'canceled', timeline: [] });
    await backend.store.insert(makeRecord({ text: 'one more' }), queue);
    const present = await Promise.all(records.map(async (r) => (await backend.store.get(r.envelope.id)) !== undefined));
    // 0-4 are still on their way; 29 down to 9 finished first and went first; 8-5 finished last and stay.
    expect(present.slice(0, 9).every(Boolean)).toBe(true);
    expect(present.slice(9).some(Boolean)).toBe(false);
    await backend.close();
  });

  test('correlations and idempotency keys stay bounded, dropping the oldest live ones first', async () => {
    const backend = createMemoryBackend({ maxRecords: 10 });
    for (let i = 0; i < 1_000; i += 1) await backend.store.correlate('smsc', `id-${i}`, { messageId: `m-${i}`, seq: 1 }, 3_600_000);
    expect(await backend.store.findCorrelation('smsc', 'id-999')).toEqual({ messageId: 'm-999', seq: 1 });
    expect(await backend.store.findCorrelation('smsc', 'id-0')).toBeUndefined();
    let kept = 0;
    for (let i = 0; i < 1_000; i += 1) if ((await backend.store.findCorrelation('smsc', `id-${i}`)) !== undefined) kept += 1;
    expect(kept).toBeGreaterThanOrEqual(18);
    expect(kept).toBeLessThanOrEqual(20);
    await backend.close();
  });
});
