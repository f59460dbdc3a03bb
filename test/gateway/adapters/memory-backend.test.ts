import { describe, expect, test } from 'vitest';
import { createMemoryBackend } from '../../../gateway/adapters/memory/memory-backend.ts';
import { messageBackendContract } from './message-backend.contract.ts';

messageBackendContract('memory', () => Promise.resolve(createMemoryBackend()));

describe('memory backend bounds', () => {
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
