import type { ImportOptions, PortingRecord, PortingSource } from './porting-source.ts';

/** The embedded default: a real PortingSource over a Map, lost when the process stops. */
export class MemoryPortingSource implements PortingSource {
  private records = new Map<string, PortingRecord>();

  get size(): number {
    return this.records.size;
  }

  /** Synchronous read for callers that already hold the memory adapter (bulk paths, benchmarks). */
  peek(e164: string): PortingRecord | undefined {
    return this.records.get(e164);
  }

  get(e164: string): Promise<PortingRecord | undefined> {
    return Promise.resolve(this.records.get(e164));
  }

  getMany(e164s: readonly string[]): Promise<(PortingRecord | undefined)[]> {
    return Promise.resolve(e164s.map((n) => this.records.get(n)));
  }

  set(record: PortingRecord): Promise<void> {
    this.records.set(record.e164, freeze(record));
    return Promise.resolve();
  }

  delete(e164: string): Promise<boolean> {
    return Promise.resolve(this.records.delete(e164));
  }

  async importRows(batches: AsyncIterable<readonly PortingRecord[]> | Iterable<readonly PortingRecord[]>, options: ImportOptions = {}): Promise<number> {
    let total = 0;
    for await (const batch of batches) {
      for (const record of batch) this.records.set(record.e164, freeze(record));
      total += batch.length;
      options.onBatch?.(batch.length);
    }
    return total;
  }

  /**
   * Takes every record of `next` in one assignment, dropping its own (a reload of the portability file): a
   * lookup sees the old set or the new one, never a mix. `next` is consumed; do not use it afterwards.
   */
  replaceWith(next: MemoryPortingSource): void {
    this.records = next.records;
    next.records = new Map();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

function freeze(record: PortingRecord): PortingRecord {
  return Object.freeze(
    record.effectiveDate === undefined
      ? { e164: record.e164, carrier: record.carrier }
      : { e164: record.e164, carrier: record.carrier, effectiveDate: record.effectiveDate },
  );
}
