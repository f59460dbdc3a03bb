import { createReadStream, statSync } from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { parse } from 'csv-parse';
import { isPortingHeader, parsePortingRow, type PortingRecord, type PortingSource } from '../../../router/index.ts';

export interface PortingImportOptions {
  /** Country for national numbers in the file (`090...`). */
  readonly defaultCountry?: string;
  /** The carrier ids a number may be ported to (a RoutingTable's `knownCarriers`); a row naming another is bad. */
  readonly knownCarriers?: ReadonlySet<string>;
  /** Rows per stored batch (one pipeline on Redis). */
  readonly batchSize?: number;
  /** After each stored batch, for a progress bar. */
  readonly onProgress?: (progress: { readonly bytesRead: number; readonly totalBytes: number; readonly rowsStored: number }) => void;
  /** A row that was refused; the import goes on with the next one. */
  readonly onBadRow?: (line: number, reason: string) => void;
}

export interface PortingImportSummary {
  readonly file: string;
  readonly bytes: number;
  /** Data rows seen (the header excluded). */
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
  const numbering = new LineNumbering();
  const parser = createReadStream(file)
    .pipe(numbering)
    .pipe(parse({ relax_column_count: true, skip_empty_lines: true, trim: true, comment: '#', bom: true }));
  let rows = 0;
  let bad = 0;
  let stored = 0;
  let headerSkipped = false;
  let parseFailure: unknown;
  async function* batches(): AsyncGenerator<PortingRecord[]> {
    let batch: PortingRecord[] = [];
    try {
      for await (const record of parser as AsyncIterable<string[]>) {
        const line = Number(record[0]);
        const fields = trimPadding(record.slice(1));
        if (rows === 0 && !headerSkipped && isPortingHeader(fields)) {
          headerSkipped = true;
          continue;
        }
        rows++;
        const result = parsePortingRow(fields, { defaultCountry: options.defaultCountry, knownCarriers: options.knownCarriers });
        if (result.ok) {
          batch.push(result.record);
          if (batch.length >= batchSize) {
            yield batch;
            batch = [];
          }
        } else {
          bad++;
          options.onBadRow?.(line, result.reason);
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
      options.onProgress?.({ bytesRead: Math.min(numbering.bytesRead, bytes), totalBytes: bytes, rowsStored: stored });
    },
  });
  if (parseFailure !== undefined) {
    const message = parseFailure instanceof Error ? parseFailure.message : JSON.stringify(parseFailure);
    bad++;
    options.onBadRow?.(numbering.lastRecordLine, `CSV syntax: ${message}; reading stopped here`);
  }
  options.onProgress?.({ bytesRead: bytes, totalBytes: bytes, rowsStored: stored });
  const durationMs = performance.now() - started;
  return { file, bytes, rows, imported: stored, bad, headerSkipped, durationMs, rowsPerSecond: durationMs > 0 ? Math.round((stored / durationMs) * 1000) : stored };
}

/** Drops the empty fields the numbering step added, so a row keeps the field count it had in the file. */
function trimPadding(fields: string[]): string[] {
  let end = fields.length;
  while (end > 2 && fields[end - 1] === '') end--;
  return end === fields.length ? fields : fields.slice(0, end);
}

/**
 * Prefixes every record with its line number and pads unquoted lines to three fields, before csv-parse.
 * Why: csv-parse's per-record info (`info: true`) more than doubles the parse cost, and it builds an error
 * object with a stack trace for every record whose field count differs from the first one's (even with
 * relax_column_count), so a file mixing `number,carrier` and `number,carrier,date` rows, or with a
 * three-field header, would import at a fraction of the speed. Comment and empty lines pass unchanged
 * (csv-parse skips them); lines inside a quoted field are left alone.
 */
class LineNumbering extends Transform {
  bytesRead = 0;
  lastRecordLine = 0;
  private readonly decoder = new StringDecoder('utf8');
  private rest = '';
  private line = 0;
  private inQuotes = false;

  constructor() {
    super({ decodeStrings: true, encoding: 'utf8' });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytesRead += chunk.length;
    const lines = (this.rest + this.decoder.write(chunk)).split('\n');
    this.rest = lines.pop() ?? '';
    let out = '';
    for (const line of lines) out += `${this.number(line)}\n`;
    done(null, out);
  }

  override _flush(done: TransformCallback): void {
    const last = this.rest + this.decoder.end();
    done(null, last === '' ? '' : this.number(last));
  }

  private number(line: string): string {
    this.line++;
    const continuation = this.inQuotes;
    const quoted = line.includes('"');
    if (quoted) for (let i = 0; i < line.length; i++) if (line.charCodeAt(i) === 34) this.inQuotes = !this.inQuotes;
    if (continuation) return line;
    const cr = line.endsWith('\r') ? '\r' : '';
    const body = cr === '' ? line : line.slice(0, -1);
    const trimmed = body.trimStart();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith('\uFEFF#')) return line;
    this.lastRecordLine = this.line;
    if (quoted) return `${this.line},${line}`;
    let commas = 0;
    for (let i = body.indexOf(','); i >= 0 && commas < 2; i = body.indexOf(',', i + 1)) commas++;
    return `${this.line},${body}${commas >= 2 ? '' : commas === 1 ? ',' : ',,'}${cr}`;
  }
}
