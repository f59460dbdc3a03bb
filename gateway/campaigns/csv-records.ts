/**
 * The records of a campaign CSV, streamed: octets -> text (csv-text.ts) -> csv-parse, one record at a time, so a
 * 100,000-row file is never held whole. The first row is the header naming the columns; each later row becomes
 * `{column: cell}`. Quoted cells may hold commas, quotes (`""`) and line breaks. A row with more or fewer fields
 * than the header is that row's error (CAMPAIGN_INVALID_ROW) and the others go on; broken quoting refuses the file
 * (CAMPAIGN_INVALID_CSV with its line), since what follows it cannot be read reliably.
 * Lines are the file's own (1 is the header), a row's line being the one it starts on.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse, type CsvError, type Info } from 'csv-parse';
import { isCodedError } from '../../common/index.ts';
import { campaignError, CampaignError } from './campaign-errors.ts';
import { CsvTextDecoder, type CsvEncoding } from './csv-text.ts';

/** One data row as read, or a row refused while reading it. */
export type SourceRow =
  | { readonly kind: 'row'; readonly line: number; readonly cells: Readonly<Record<string, string>> }
  | { readonly kind: 'refused'; readonly line: number; readonly code: 'CAMPAIGN_INVALID_ROW'; readonly message: string };

export interface CsvRecordsOptions {
  readonly encoding: CsvEncoding | 'auto';
  /** Sees the header's column names before any row; throws to refuse the file (a missing phone column). */
  readonly header?: (columns: readonly string[]) => void;
}

const FIELD_COUNT_ERRORS: ReadonlySet<string> = new Set(['CSV_RECORD_INCONSISTENT_COLUMNS', 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH']);

/** The rows of a CSV; `decoder.encoding` says which encoding was read once the first non-ASCII text was seen. */
export function readCsvRecords(octets: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, options: CsvRecordsOptions): { readonly decoder: CsvTextDecoder; readonly rows: AsyncIterable<SourceRow> } {
  const decoder = new CsvTextDecoder(options.encoding);
  return { decoder, rows: records(octets, decoder, options) };
}

async function* records(octets: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, decoder: CsvTextDecoder, options: CsvRecordsOptions): AsyncGenerator<SourceRow> {
  let refusal: CampaignError | undefined;
  let sawHeader = false;
  const skipped: SourceRow[] = [];
  const parser = parse({
    bom: true,
    info: true,
    skip_empty_lines: true,
    relax_column_count: false,
    skip_records_with_error: true,
    columns: (header: string[]) => {
      sawHeader = true;
      try {
        const columns = headerColumns(header);
        options.header?.(columns);
        return columns;
      } catch (error: unknown) {
        refusal = error instanceof CampaignError ? error : campaignError('CAMPAIGN_INVALID_CSV', String(error), { field: 'header' });
        throw refusal;
      }
    },
    on_skip: (error: CsvError | undefined) => {
      if (error === undefined) return;
      const line = typeof error.lines === 'number' ? error.lines : 0;
      if (FIELD_COUNT_ERRORS.has(error.code)) {
        skipped.push({ kind: 'refused', line, code: 'CAMPAIGN_INVALID_ROW', message: `${CAMPAIGN_ROW_MESSAGE}: ${fieldCounts(error)}` });
      } else {
        refusal ??= campaignError('CAMPAIGN_INVALID_CSV', `line ${line}: ${error.message}`, { field: 'file', line });
      }
    },
  });
  const feeding = pipeline(Readable.from(decoded(octets, decoder), { objectMode: false }), parser).catch((error: unknown) => error);
  try {
    for await (const item of parser as AsyncIterable<{ record: Record<string, string>; info: Info }>) {
      if (refusal !== undefined) throw refusal;
      const line = item.info.lines - lineBreaksIn(item.record);
      while (skipped.length > 0 && (skipped[0] as SourceRow).line < line) yield skipped.shift() as SourceRow;
      yield { kind: 'row', line, cells: item.record };
    }
  } catch (error: unknown) {
    throw asCampaignError(refusal ?? (await feeding) ?? error);
  }
  const failed = await feeding;
  if (refusal !== undefined) throw refusal;
  if (failed !== undefined) throw asCampaignError(failed);
  if (!sawHeader) throw campaignError('CAMPAIGN_INVALID_CSV', 'the file is empty: the first row names the columns', { field: 'file' });
  yield* skipped;
}

const CAMPAIGN_ROW_MESSAGE = 'the row does not have as many fields as the header';

async function* decoded(octets: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, decoder: CsvTextDecoder): AsyncGenerator<string> {
  for await (const chunk of octets) {
    const text = decoder.write(chunk);
    if (text !== '') yield text;
  }
  const rest = decoder.end();
  if (rest !== '') yield rest;
}

/** Header names trimmed; an empty or repeated name refuses the file (a cell could not say which column it fills). */
function headerColumns(header: readonly string[]): string[] {
  const columns = header.map((name) => name.trim());
  columns.forEach((name, index) => {
    if (name === '') throw campaignError('CAMPAIGN_INVALID_CSV', `header column ${index + 1} has no name`, { field: 'header', column: index + 1 });
    if (columns.indexOf(name) !== index) throw campaignError('CAMPAIGN_INVALID_CSV', `header column "${name}" is given twice`, { field: 'header', column: index + 1 });
  });
  return columns;
}

/** The parser counts a record's lines up to its end: a row starts as many lines earlier as its cells hold breaks. */
function lineBreaksIn(record: Readonly<Record<string, string>>): number {
  let breaks = 0;
  for (const value of Object.values(record)) {
    for (let i = value.indexOf('\n'); i !== -1; i = value.indexOf('\n', i + 1)) breaks += 1;
    for (let i = value.indexOf('\r'); i !== -1; i = value.indexOf('\r', i + 1)) breaks += 1;
  }
  return breaks;
}

function fieldCounts(error: CsvError): string {
  const record = error.record;
  const columns = error.columns;
  const got = Array.isArray(record) ? record.length : undefined;
  const want = Array.isArray(columns) ? columns.length : undefined;
  return got === undefined || want === undefined ? error.message : `${got} fields, the header has ${want}`;
}

/** What stopped the reading: a coded error as it is (the source's own, e.g. an upload over its size), else unreadable CSV. */
function asCampaignError(error: unknown): Error {
  if (isCodedError(error)) return error;
  const csv = error as Partial<CsvError>;
  const line = typeof csv.lines === 'number' ? csv.lines : undefined;
  return campaignError('CAMPAIGN_INVALID_CSV', `${line === undefined ? '' : `line ${line}: `}${(error as Error).message}`, { field: 'file', ...(line === undefined ? {} : { line }) }, { cause: error });
}
