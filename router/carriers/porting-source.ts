/**
 * The number portability port: ported numbers mapped to their current carrier. Adapters: memory (embedded
 * default, in this folder) and Redis (gateway/adapters/redis). Ports expose no connection types.
 */
export interface PortingRecord {
  /** E.164 with `+`. */
  readonly e164: string;
  /** Carrier id the number is ported to. */
  readonly carrier: string;
  /** ISO 8601 date or timestamp from which the port is in force; absent means already in force. */
  readonly effectiveDate?: string;
}

export interface ImportOptions {
  /** Called after each batch is stored, with the number of rows in it. */
  readonly onBatch?: (rows: number) => void;
}

export interface PortingSource {
  get(e164: string): Promise<PortingRecord | undefined>;
  /** One answer per input, same order; adapters batch or pipeline the reads. */
  getMany(e164s: readonly string[]): Promise<(PortingRecord | undefined)[]>;
  set(record: PortingRecord): Promise<void>;
  /** True when a record existed. */
  delete(e164: string): Promise<boolean>;
  /** Stores batches as they stream in; resolves to the number of rows stored. A later row for a number wins. */
  importRows(batches: AsyncIterable<readonly PortingRecord[]> | Iterable<readonly PortingRecord[]>, options?: ImportOptions): Promise<number>;
  close(): Promise<void>;
}

/** True when the record is in force at `atMs` (a future effective date means the number has not moved yet). */
export function portInForce(record: PortingRecord, atMs: number): boolean {
  if (record.effectiveDate === undefined) return true;
  const from = Date.parse(record.effectiveDate);
  return Number.isNaN(from) || from <= atMs;
}
