import { createReadStream, statSync } from 'node:fs';
import { parse } from 'csv-parse';
import { isPortingHeader, parsePortingRow, type PortingRecord, type PortingSource } from '../../../router/index.ts';

export interface PortingImportOptions {
  /** Country for national numbers in the file (`090...`). */
  readonly defaultCountry?: string;
  /** Rows per stored batch (one pipeline on Redis). */
  readonly batchSize?: number;
  /** Bytes of the file read so far, for a progress bar. */
  readonly onProgress?: (bytesRead: number, rowsStored: number) => void;
  /** A row that was refused; the import goes on with the next one. */
  readonly onBadRow?: (line: number, reason: string) => void;
}

export interface PortingImportSummary {
  readonly file: string;
  readonly bytes: number;
  readonly rows: number;
  readonly imported: number;
  readonly bad: number;
  readonly headerSkipped: boolean;
  readonly durationMs: number;
  readonly rowsPerSecond: number;
}

/**
 * Streams a portability CSV (`number,carrier[,effective date]`, header optional) into a PortingSource in
 * batches. Bad rows are reported with their line number and skipped; good rows around them are stored.
 */
export async function importPortingCsv(file: string, source: PortingSource, options: PortingImportOptions = {}): Promise<PortingImportSummary> {
  const started = performance.now();
  const bytes = statSync(file).size;
  const batchSize = options.batchSize ?? 5_000;
  const parser = createReadStream(file).pipe(
    parse({ info: true, relax_column_count: true, skip_empty_lines: true, trim: true, comment: '#', bom: true }),
  );
  let rows = 0;
  let bad = 0;
  let stored = 0;
  let bytesRead = 0;
  let headerSkipped = false;
  let parseFailure: unknown;
  async function* batches(): AsyncGenerator<PortingRecord[]> {
    let batch: PortingRecord[] = [];
    try {
      for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number; bytes: number } }>) {
        const { record, info } = item;
        bytesRead = info.bytes;
        if (rows === 0 && !headerSkipped && isPortingHeader(record)) {
          headerSkipped = true;
          continue;
        }
        rows++;
        const result = parsePortingRow(record, { defaultCountry: options.defaultCountry });
        if (result.ok) {
          batch.push(result.record);
          if (batch.length >= batchSize) {
            yield batch;
            batch = [];
          }
        } else {
          bad++;
          options.onBadRow?.(info.lines, result.reason);
        }
      }
    } catch (error: unknown) {
      // A malformed CSV (e.g. an unclosed quote) stops the reading; what was read before is still stored.
      parseFailure = error;
    }
    if (batch.length > 0) yield batch;
  }
  await source.importRows(batches(), {
    onBatch: (n) => {
      stored += n;
      options.onProgress?.(bytesRead, stored);
    },
  });
  if (parseFailure !== undefined) {
    const message = parseFailure instanceof Error ? parseFailure.message : JSON.stringify(parseFailure);
    const line = /line (\d+)/.exec(message)?.[1];
    bad++;
    options.onBadRow?.(line === undefined ? rows + 1 : Number(line), `CSV syntax: ${message}; reading stopped here`);
  }
  options.onProgress?.(bytes, stored);
  const durationMs = performance.now() - started;
  return { file, bytes, rows, imported: stored, bad, headerSkipped, durationMs, rowsPerSecond: durationMs > 0 ? Math.round((stored / durationMs) * 1000) : stored };
}
