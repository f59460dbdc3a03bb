import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { PortingRecord, PortingSource } from '../../../router/index.ts';

export interface ContractSubject {
  readonly source: PortingSource;
  /** Removes whatever the subject stored outside the process (Redis keys). */
  readonly cleanup?: () => Promise<void>;
}

/** One conformance suite for every PortingSource adapter (memory, Redis). */
export function describePortingSourceContract(name: string, open: () => Promise<ContractSubject>): void {
  describe(`PortingSource contract: ${name}`, () => {
    let subject: ContractSubject;
    beforeEach(async () => {
      subject = await open();
    });
    afterEach(async () => {
      await subject.source.close();
      await subject.cleanup?.();
    });

    test('get of an unknown number is undefined', async () => {
      expect(await subject.source.get('+819012345678')).toBeUndefined();
    });

    test.each<[string, PortingRecord]>([
      ['without a date', { e164: '+819012345678', carrier: 'au' }],
      ['with a date', { e164: '+818012345601', carrier: 'rakuten', effectiveDate: '2024-04-01' }],
      ['with a timestamp', { e164: '+447700900123', carrier: 'vodafone', effectiveDate: '2024-04-01T09:00:00Z' }],
    ])('set then get round-trips a record %s', async (_label, record) => {
      await subject.source.set(record);
      expect(await subject.source.get(record.e164)).toEqual(record);
    });

    test('set replaces the previous carrier; neighbours in the same bucket are independent', async () => {
      await subject.source.set({ e164: '+819012345678', carrier: 'au' });
      await subject.source.set({ e164: '+819012345679', carrier: 'docomo' });
      await subject.source.set({ e164: '+819012345678', carrier: 'softbank' });
      expect(await subject.source.get('+819012345678')).toEqual({ e164: '+819012345678', carrier: 'softbank' });
      expect(await subject.source.get('+819012345679')).toEqual({ e164: '+819012345679', carrier: 'docomo' });
    });

    test('delete removes one record and reports whether it existed', async () => {
      await subject.source.set({ e164: '+819012345678', carrier: 'au' });
      await subject.source.set({ e164: '+819012345677', carrier: 'au' });
      expect(await subject.source.delete('+819012345678')).toBe(true);
      expect(await subject.source.delete('+819012345678')).toBe(false);
      expect(await subject.source.get('+819012345678')).toBeUndefined();
      expect(await subject.source.get('+819012345677')).toEqual({ e164: '+819012345677', carrier: 'au' });
    });

    test('getMany answers in input order, undefined where unknown, duplicates included', async () => {
      await subject.source.set({ e164: '+819011110000', carrier: 'au' });
      await subject.source.set({ e164: '+818022220000', carrier: 'docomo', effectiveDate: '2025-01-01' });
      const answers = await subject.source.getMany(['+818022220000', '+819099990000', '+819011110000', '+818022220000']);
      expect(answers).toEqual([
        { e164: '+818022220000', carrier: 'docomo', effectiveDate: '2025-01-01' },
        undefined,
        { e164: '+819011110000', carrier: 'au' },
        { e164: '+818022220000', carrier: 'docomo', effectiveDate: '2025-01-01' },
      ]);
      expect(await subject.source.getMany([])).toEqual([]);
    });

    test('importRows stores streamed batches, counts rows, reports each batch, and a later row wins', async () => {
      async function* batches(): AsyncGenerator<PortingRecord[]> {
        for (let b = 0; b < 5; b++) {
          await Promise.resolve();
          yield Array.from({ length: 300 }, (_, i) => ({ e164: `+8190${String(b * 300 + i).padStart(8, '0')}`, carrier: b % 2 === 0 ? 'au' : 'docomo' }));
        }
        yield [{ e164: '+819000000001', carrier: 'rakuten', effectiveDate: '2030-01-01' }];
      }
      const seen: number[] = [];
      const total = await subject.source.importRows(batches(), { onBatch: (n) => seen.push(n) });
      expect(total).toBe(1501);
      expect(seen.reduce((a, b) => a + b, 0)).toBe(1501);
      const numbers = Array.from({ length: 1500 }, (_, i) => `+8190${String(i).padStart(8, '0')}`);
      const records = await subject.source.getMany(numbers);
      expect(records.filter((r) => r === undefined)).toHaveLength(0);
      expect(records[299]?.carrier).toBe('au');
      expect(records[300]?.carrier).toBe('docomo');
      expect(records[1]).toEqual({ e164: '+819000000001', carrier: 'rakuten', effectiveDate: '2030-01-01' });
    });

    test('within one batch, a later row for the same number wins', async () => {
      const rows = [
        { e164: '+819012345678', carrier: 'au' },
        { e164: '+819012345679', carrier: 'au' },
        { e164: '+819012345678', carrier: 'softbank', effectiveDate: '2025-01-01' },
      ];
      expect(await subject.source.importRows([rows])).toBe(3);
      expect(await subject.source.get('+819012345678')).toEqual({ e164: '+819012345678', carrier: 'softbank', effectiveDate: '2025-01-01' });
    });

    test('importRows accepts a plain iterable and empty batches', async () => {
      const total = await subject.source.importRows([[], [{ e164: '+14155550100', carrier: 'verizon' }], []]);
      expect(total).toBe(1);
      expect(await subject.source.get('+14155550100')).toEqual({ e164: '+14155550100', carrier: 'verizon' });
    });
  });
}
